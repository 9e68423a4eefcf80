// Tools for the resilience tests (flood, two instances, database outage): throwaway
// PostgreSQL databases, a second organization with a known key, HTTP calls that always end
// (per-request timeout, latency recorded) and small statistics for the printed figures.
import pg from "pg";
import { hashApiKey, lastSix } from "@/lib/auth/api-keys";

/** The server the e2e suite uses (CI starts one on 127.0.0.1:5432). */
export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const AUTH_SECRET = "resilience-test-secret-at-least-32-characters";

export function withDatabase(base: string, name: string) {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery(adminUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** An empty database on the admin server (the app migrates it at boot); drop() removes it. */
export async function freshDatabase(label: string, adminUrl = PG_ADMIN_URL): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `confident_${label}_${process.pid}`;
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  return { url: withDatabase(adminUrl, name), drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => undefined) };
}

/** Runs one statement on `url` with a short-lived connection. */
export async function query<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A second organization with a known API key, written directly (the key stored as its SHA-256). */
export async function insertOrganizationWithKey(url: string, name: string, key: string): Promise<{ organizationId: string; apiKeyId: number }> {
  const organizationId = `org_${name.toLowerCase().replace(/[^a-z0-9]+/g, "_")}_${process.pid}`;
  await query(url, `INSERT INTO "Organization" (id, name, plan) VALUES ($1, $2, 'ENTERPRISE')`, [organizationId, name]);
  const [row] = await query<{ id: number }>(
    url,
    `INSERT INTO "ApiKey" ("organizationId", name, "keyHash", last6) VALUES ($1, $2, $3, $4) RETURNING id`,
    [organizationId, `${name} key`, hashApiKey(key), lastSix(key)],
  );
  return { organizationId, apiKeyId: row!.id };
}

/** Another key for an existing organization (rate limits are per key). */
export async function insertApiKey(url: string, organizationId: string, key: string): Promise<number> {
  const [row] = await query<{ id: number }>(
    url,
    `INSERT INTO "ApiKey" ("organizationId", name, "keyHash", last6) VALUES ($1, 'second key', $2, $3) RETURNING id`,
    [organizationId, hashApiKey(key), lastSix(key)],
  );
  return row!.id;
}

export async function organizationOfKey(url: string, key: string): Promise<string> {
  const [row] = await query<{ organizationId: string }>(url, `SELECT "organizationId" FROM "ApiKey" WHERE "keyHash" = $1`, [hashApiKey(key)]);
  if (!row) throw new Error("API key not registered");
  return row.organizationId;
}

export async function apiKeyId(url: string, key: string): Promise<number> {
  const [row] = await query<{ id: number }>(url, `SELECT id FROM "ApiKey" WHERE "keyHash" = $1`, [hashApiKey(key)]);
  if (!row) throw new Error("API key not registered");
  return row.id;
}

/** Requests counted per rate-limit window for a key (the database's minute). */
export async function rateWindows(url: string, keyId: number): Promise<{ windowStart: string; count: number }[]> {
  const rows = await query<{ windowStart: Date; count: number }>(
    url,
    `SELECT "windowStart", count FROM "RateLimitBucket" WHERE key = $1 ORDER BY "windowStart"`,
    [`apiKey:${keyId}`],
  );
  return rows.map((r) => ({ windowStart: r.windowStart.toISOString(), count: Number(r.count) }));
}

export interface Answer {
  /** HTTP status, or 0 when no answer arrived (network error or the client's timeout). */
  status: number;
  body: any;
  headers: Headers | null;
  /** Wall-clock times (ms since epoch) the request started and ended. */
  start: number;
  end: number;
  ms: number;
  /** Why no answer arrived (status 0). */
  error?: string;
}

/** One HTTP call that always ends: `timeoutMs` caps it; the body is parsed as JSON when it is JSON. */
export async function call(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Answer> {
  const { timeoutMs = 15_000, ...rest } = init;
  const start = Date.now();
  const t0 = performance.now();
  try {
    const response = await fetch(url, { ...rest, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text (and fails envelope checks)
    }
    return { status: response.status, body, headers: response.headers, start, end: Date.now(), ms: performance.now() - t0 };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { status: 0, body: null, headers: null, start, end: Date.now(), ms: performance.now() - t0, error: `${(error as Error).name}: ${(error as Error).message}${cause ? ` (${cause})` : ""}` };
  }
}

export function apiHeaders(key: string): Record<string, string> {
  return { CONFIDENT_API_KEY: key, "content-type": "application/json" };
}

/** Why an answer is not in the contract's envelope (success: 200 + data; error: code + string). */
export function envelopeProblem(answer: Answer): string | null {
  const b = answer.body;
  if (answer.status === 0) return `no answer: ${answer.error}`;
  if (!b || typeof b !== "object") return `status ${answer.status} without a JSON body: ${String(b).slice(0, 200)}`;
  if (b.deprecated !== false) return `status ${answer.status}: no deprecated:false`;
  if (answer.status === 200) return b.success === true && b.data && typeof b.data === "object" ? null : `200 without success data: ${JSON.stringify(b).slice(0, 200)}`;
  if (b.success !== false || typeof b.error !== "string" || typeof b.code !== "string") {
    return `status ${answer.status} not an error envelope: ${JSON.stringify(b).slice(0, 200)}`;
  }
  return null;
}

/** Runs `total` tasks with at most `concurrency` at a time; results in task order. */
export async function runPool<T>(total: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(total);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[pos]!;
}

export const median = (values: number[]) => quantile(values, 0.5);

export function summarize(values: number[]) {
  const r = (n: number) => Math.round(n * 10) / 10;
  return { n: values.length, p50: r(median(values)), p95: r(quantile(values, 0.95)), max: r(Math.max(...values)) };
}

/** Counts of each value (statuses, codes) as a compact object for printing. */
export function tally<T extends string | number>(values: T[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
}

/**
 * Rate-limit windows are the database's (= this machine's) calendar minute. When fewer than
 * `needSeconds` remain in the current minute, waits for the next one, so a short flood
 * normally lands in one window. Returns how long it waited.
 */
export async function roomInMinute(needSeconds: number): Promise<number> {
  const intoMinute = Date.now() % 60_000;
  if (60_000 - intoMinute >= needSeconds * 1_000) return 0;
  const wait = 60_000 - intoMinute + 250;
  await new Promise((r) => setTimeout(r, wait));
  return wait;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until GET /api/health answers 200 (the app migrates and provisions after "Ready"). */
export async function waitHealthy(baseUrl: string, timeoutMs = 60_000, output?: () => string): Promise<number> {
  const started = Date.now();
  for (;;) {
    const answer = await call(`${baseUrl}/api/health`, { timeoutMs: 5_000 });
    if (answer.status === 200) return Date.now() - started;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`health never answered 200 (last: ${answer.status} ${answer.error ?? JSON.stringify(answer.body)})${output ? `:\n${output()}` : ""}`);
    }
    await sleep(200);
  }
}
