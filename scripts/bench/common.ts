// Shared parts of the `npm run bench:*` scripts: a throwaway PostgreSQL database, the app built
// into its own dist dir (.next-bench) and started with `next start`, peak-RSS sampling of a
// process group and statement counting through Prisma query events (load and printing: ./measure).
// Everything started here is registered for cleanup and stopped by pid, also on errors and ^C.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { openPgConnection } from "@/lib/db/connection";
import { setDatabase } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { openPostgres, type Database } from "@/lib/db/open";
import { resetRequestCounts } from "@/lib/services/request-counter";
import { childEnv, ROOT } from "../../tests/helpers/run-script";
import { startServer, type RunningServer } from "../../tests/helpers/server";

export const DIST_DIR = ".next-bench";
export const AUTH_SECRET = "bench-secret-that-is-at-least-32-characters";
export const ARGS = new Set(process.argv.slice(2));
export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
// The services this process runs in-process (seeding, statement counts) read these through env().
process.env.AUTH_SECRET = AUTH_SECRET;
process.env.RATE_LIMIT_PER_MINUTE = "1000000";
process.env.RATE_LIMIT_ORG_PER_MINUTE = "1000000";
// The daily invitation quota would stop the create bench after 500 invitations.
process.env.INVITATIONS_PER_DAY = "10000000";

// ---- cleanup and the script's main ----
const cleanups: (() => Promise<unknown>)[] = [];
export function onCleanup(fn: () => Promise<unknown>) {
  cleanups.unshift(fn); // last registered, first undone
}
async function runCleanups() {
  while (cleanups.length) await cleanups.shift()!().catch((e: Error) => console.error(`cleanup: ${e.message}`));
}

export function main(title: string, body: () => Promise<void>) {
  const started = performance.now();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void runCleanups().finally(() => process.exit(130)));
  }
  console.log(`== ${title}`);
  body()
    .then(() => 0, (error: Error) => (console.error(error.stack ?? error), 1))
    .then(async (code) => {
      await runCleanups();
      console.log(`run time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
      process.exit(code);
    });
}

// ---- build ----
const SOURCES = ["app", "lib", "emails", "public", "instrumentation.ts", "proxy.ts", "middleware.ts", "next.config.mjs", "package.json", "package-lock.json", "prisma", "tsconfig.json"];

function newestMtime(p: string, depth = 0): number {
  if (!fs.existsSync(p) || depth > 12) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name), depth + 1));
  return newest;
}

/**
 * Builds the app into .next-bench when it is missing or older than the sources (`--build`
 * forces, `--no-build` skips). next build points next-env.d.ts at its dist dir and writes
 * route types there: both are put back so other builds and `tsc` in this tree are unaffected.
 */
export async function ensureBuild() {
  const buildId = path.join(ROOT, DIST_DIR, "BUILD_ID");
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  if (ARGS.has("--no-build")) {
    if (!built) throw new Error(`--no-build given but ${DIST_DIR} has no build`);
    return;
  }
  const newest = Math.max(...SOURCES.map((s) => newestMtime(path.join(ROOT, s))));
  if (built > newest && !ARGS.has("--build")) {
    console.log(`build: ${DIST_DIR} is up to date`);
    return;
  }
  const envFile = path.join(ROOT, "next-env.d.ts");
  const envBefore = fs.existsSync(envFile) ? fs.readFileSync(envFile, "utf8") : null;
  const t0 = performance.now();
  process.stdout.write(`build: next build into ${DIST_DIR} ... `);
  try {
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
      cwd: ROOT,
      env: childEnv({ NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" }),
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    if (code !== 0) throw new Error(`next build failed (${code}):\n${out.slice(-4000)}`);
  } finally {
    if (envBefore === null) fs.rmSync(envFile, { force: true });
    else fs.writeFileSync(envFile, envBefore);
    fs.rmSync(path.join(ROOT, DIST_DIR, "types"), { recursive: true, force: true });
  }
  console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

// ---- database ----
async function admin(sql: string) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new migrated database, dropped at the end; and this process's Prisma client on it. */
export async function createBenchDatabase(tag: string): Promise<{ url: string; db: Database; pgVersion: string }> {
  const name = `confident_bench_${tag}_${process.pid}_${randomBytes(2).toString("hex")}`;
  await admin(`CREATE DATABASE "${name}"`);
  onCleanup(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const conn = await openPgConnection(url.toString());
  let pgVersion = "";
  try {
    await migrate(conn);
    pgVersion = (await conn.query<{ v: string }>("SELECT current_setting('server_version') AS v"))[0]!.v;
  } finally {
    await conn.close();
  }
  const db = openPostgres(url.toString(), 10, { queryEvents: true });
  setDatabase(db);
  onCleanup(async () => {
    await resetRequestCounts(db.prisma); // no batched count write after the pool is closed
    await db.close();
  });
  return { url: url.toString(), db, pgVersion };
}

/** Statements that run beside requests, not on their path: the once-a-minute lastUsedAt write,
 * the rate-limit sweep, and the batched flush of request counts (lib/services/request-counter.ts). */
const BESIDE_REQUESTS = /UPDATE "ApiKey" SET "lastUsedAt"|DELETE FROM "RateLimitBucket"|^\s*INSERT INTO "RateLimitBucket"/;

/**
 * Counts what this process's Prisma client sends while `work` runs. Prisma reports COMMIT but not
 * BEGIN: a path with an interactive transaction is one round trip more than counted (the guarded
 * invitation writes have none, and the tests refuse a COMMIT on their path).
 */
export function statementCounter(db: Database) {
  let current: string[] | null = null;
  (db.prisma as unknown as { $on(e: "query", cb: (e: { query: string }) => void): void }).$on("query", (e) => current?.push(e.query));
  return async <T>(work: () => Promise<T>) => {
    current = [];
    try {
      const result = await work();
      const all = current;
      const onPath = all.filter((q) => !BESIDE_REQUESTS.test(q));
      const control = onPath.filter((q) => /^\s*(BEGIN|COMMIT|ROLLBACK)\b/i.test(q)).length;
      /** statements: without transaction control; roundTrips: with it (each is one round trip). */
      return { result, statements: onPath.length - control, roundTrips: onPath.length, queries: onPath, beside: all.length - onPath.length };
    } finally {
      current = null;
    }
  };
}

/** The fewest round trips over a few runs of `work`: a key's first use in a minute writes
 * lastUsedAt, and request counts are flushed in the background now and then. */
export async function leastStatements<T>(count: ReturnType<typeof statementCounter>, work: () => Promise<T>, runs = 3) {
  let best: Awaited<ReturnType<typeof count<T>>> | undefined;
  for (let i = 0; i < runs; i++) {
    const c = await count(work);
    if (!best || c.roundTrips < best.roundTrips) best = c;
  }
  return best!;
}

// ---- servers and memory ----
export async function startApp(url: string, extra: Record<string, string> = {}): Promise<RunningServer> {
  const server = await startServer("start", {
    NODE_ENV: "production",
    DATABASE_URL: url,
    AUTH_SECRET,
    NEXT_DIST_DIR: DIST_DIR,
    EMAIL_WORKER: "off",
    INVITATIONS_PER_DAY: "10000000",
    ...extra,
  });
  onCleanup(() => server.stop());
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${server.url}/api/health`).catch(() => null);
    if (res?.ok) return server;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`app not healthy:\n${server.output()}`);
}

/** A plain Node child process (the bare servers): waits for `listening <port>` on stdout. */
export async function startChild(file: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(ROOT, file)], { cwd: ROOT, env: { ...process.env, ...env } });
  onCleanup(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
    await exited;
    clearTimeout(timer);
  });
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start: ${err}`)), 15_000);
    child.stdout!.on("data", (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once("exit", (code) => reject(new Error(`${file} exited (${code}): ${err}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

function procStatus(pid: number): { name: string; hwm: number; rss: number } | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(s)?.[1] ?? 0) * 1024;
    return { name: /^Name:\s+(.*)$/m.exec(s)?.[1] ?? "?", hwm: kb("VmHWM"), rss: kb("VmRSS") };
  } catch {
    return null;
  }
}

/** Pids whose process group is `pgid` (`next start` runs detached: its group id is its pid). */
function groupPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

export interface MemoryWatch {
  /** Peak of the largest process: VmHWM (kernel high-water mark) and the max VmRSS sampled every 100 ms. */
  peak(): { pid: number; name: string; hwmMiB: number; sampledMiB: number };
  stop(): void;
}

/** Samples every process in a group (or one pid) every 100 ms; reports the heaviest one. */
export function watchMemory(pid: number, group: boolean): MemoryWatch {
  const seen = new Map<number, { name: string; hwm: number; max: number }>();
  const sample = () => {
    for (const p of group ? groupPids(pid) : [pid]) {
      const s = procStatus(p);
      if (!s) continue;
      const prev = seen.get(p);
      seen.set(p, { name: s.name, hwm: Math.max(s.hwm, prev?.hwm ?? 0), max: Math.max(s.rss, prev?.max ?? 0) });
    }
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    peak() {
      sample();
      const [p, s] = [...seen].sort((a, b) => b[1].hwm - a[1].hwm)[0] ?? [0, { name: "?", hwm: 0, max: 0 }];
      return { pid: p, name: s.name, hwmMiB: s.hwm / 2 ** 20, sampledMiB: s.max / 2 ** 20 };
    },
    stop: () => clearInterval(timer),
  };
}

export function memoryLine(label: string, watch: MemoryWatch): string {
  const p = watch.peak();
  return `${label} peak RSS: ${p.hwmMiB.toFixed(0)} MiB (VmHWM of pid ${p.pid} "${p.name}"; max sampled every 100 ms ${p.sampledMiB.toFixed(0)} MiB)`;
}

export * from "./measure";
