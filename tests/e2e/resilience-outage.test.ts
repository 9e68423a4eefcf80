// A database outage under load: `next start` on a PostgreSQL cluster this test starts itself
// (spare port, temporary folder), a few clients creating invitations and reading, and in the
// middle the cluster is stopped (`pg_ctl stop -m fast`) for a few seconds and started again.
// The contract (§2): while the database is unreachable every answer is a 503 envelope — never
// a 500, never a hang — and the request changed nothing; afterwards the service resumes by
// itself, no invitation is half-written (each has its outbox row and audit event), and the
// email worker catches up, sending each invitation once. Figures are printed for the README.
import { afterAll, describe, expect, it } from "vitest";
import { startFakeResend, type FakeResend } from "../helpers/fake-resend";
import { startPgCluster, type PgCluster } from "../helpers/pg-cluster";
import {
  adminQuery,
  apiHeaders,
  AUTH_SECRET,
  call,
  envelopeProblem,
  query,
  sleep,
  summarize,
  tally,
  waitHealthy,
  withDatabase,
  type Answer,
} from "../helpers/resilience";
import { startServer, type RunningServer } from "../helpers/server";

const KEY = "confident_org_" + "0d".repeat(24);
const CLIENTS = 4;
const BEFORE_MS = 5_000;
const OUTAGE_MS = 6_000;
const AFTER_MS = 6_000;
/** No answer may take longer (the pool gives up connecting after 5 s). */
const MAX_ANSWER_MS = 10_000;
/** The service must be back this soon after PostgreSQL accepts connections again. */
const RECOVERY_MS = 15_000;

let cluster: PgCluster | undefined;
let server: RunningServer | undefined;
let fake: FakeResend | undefined;
afterAll(async () => {
  await server?.stop().catch((e) => console.error(e));
  // Always: stop the private cluster and delete its folder, also when the test failed.
  await cluster?.destroy().catch((e) => console.error(e));
  await fake?.close().catch((e) => console.error(e));
});

interface Sent {
  kind: "create" | "list" | "org" | "health";
  emails?: string[];
  answer: Answer;
}

describe("a PostgreSQL outage under load", () => {
  it("answers 503 envelopes without hanging, recovers by itself, and leaves no half-written invitation", async () => {
    fake = await startFakeResend();
    cluster = await startPgCluster();
    await adminQuery(cluster.url, `CREATE DATABASE confident_outage`);
    const databaseUrl = withDatabase(cluster.url, "confident_outage");
    server = await startServer("start", {
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      AUTH_SECRET,
      INIT_ORG_NAME: "Outage Org",
      INIT_ORG_PLAN: "ENTERPRISE",
      INIT_USER_EMAIL: "owner@outage.test",
      INIT_ORG_API_KEY: KEY,
      // The load is never cut by a limit: what it measures is the outage.
      RATE_LIMIT_PER_MINUTE: "1000000", RATE_LIMIT_ORG_PER_MINUTE: "1000000", INVITATIONS_PER_DAY: "1000000",
      EMAIL_WORKER: "on",
      RESEND_API_KEY: "re_x",
      RESEND_BASE_URL: fake.baseUrl,
      EMAIL_FROM: "Confident <invites@outage.test>",
    });
    await waitHealthy(server.url, 60_000, server!.output);
    const base = server.url;

    const sent: Sent[] = [];
    let stopping = false;
    let counter = 0;
    const client = async (n: number) => {
      for (let round = 0; !stopping; round++) {
        const emails = [`c${n}-${++counter}@outage.test`, `c${n}-${++counter}@outage.test`];
        sent.push({
          kind: "create",
          emails,
          answer: await call(`${base}/v1/organization/invitations`, {
            method: "POST",
            headers: apiHeaders(KEY),
            body: JSON.stringify({ emails }),
          }),
        });
        const read = round % 2 === 0;
        sent.push({
          kind: read ? "list" : "org",
          answer: await call(`${base}/v1/organization${read ? `/invitations?email=c${n}-` : ""}`, { headers: apiHeaders(KEY) }),
        });
        await sleep(25);
      }
    };
    const prober = async () => {
      while (!stopping) {
        sent.push({ kind: "health", answer: await call(`${base}/api/health`) });
        await sleep(250);
      }
    };

    const loadStart = Date.now();
    const load = Promise.all([...Array.from({ length: CLIENTS }, (_, n) => client(n)), prober()]);
    let stopAt = 0;
    let stoppedAt = 0;
    let restartAt = 0;
    let startedAt = 0;
    try {
      await sleep(BEFORE_MS);
      stopAt = Date.now();
      await cluster.stop();
      stoppedAt = Date.now();
      await sleep(OUTAGE_MS);
      restartAt = Date.now();
      await cluster.start();
      startedAt = Date.now();
      // Keep going until the service is back (a success after the restart), then a little more.
      const recoveredBy = startedAt + RECOVERY_MS;
      while (Date.now() < recoveredBy && !sent.some((s) => s.kind === "create" && s.answer.status === 200 && s.answer.start >= startedAt)) {
        await sleep(100);
      }
      await sleep(AFTER_MS);
    } finally {
      stopping = true;
      await load;
    }
    const loadMs = Date.now() - loadStart;

    // Phases by when a request started and ended: fully inside the outage, or not.
    const inOutage = (a: Answer) => a.start >= stoppedAt && a.end <= restartAt;
    const phase = (a: Answer) => (a.end < stopAt ? "before" : inOutage(a) ? "outage" : a.start >= startedAt ? "after" : "transition");
    const api = sent.filter((s) => s.kind !== "health");
    const figures: Record<string, unknown> = {};
    for (const p of ["before", "transition", "outage", "after"]) {
      const here = api.filter((s) => phase(s.answer) === p);
      figures[p] = { statuses: tally(here.map((s) => s.answer.status)), latencyMs: summarize(here.map((s) => s.answer.ms)) };
    }
    const firstCreateAfter = sent
      .filter((s) => s.kind === "create" && s.answer.status === 200 && s.answer.start >= startedAt)
      .sort((a, b) => a.answer.end - b.answer.end)[0];
    const firstHealthAfter = sent
      .filter((s) => s.kind === "health" && s.answer.status === 200 && s.answer.start >= startedAt)
      .sort((a, b) => a.answer.end - b.answer.end)[0];
    const outageHealth = sent.filter((s) => s.kind === "health" && inOutage(s.answer));
    console.log(
      [
        `outage: ${CLIENTS} clients + health probe for ${Math.round(loadMs / 1000)} s, ${api.length} API requests; ` +
          `pg_ctl stop took ${stoppedAt - stopAt} ms, down ${restartAt - stoppedAt} ms, pg_ctl start took ${startedAt - restartAt} ms`,
        ...Object.entries(figures).map(([p, f]) => `  ${p}: ${JSON.stringify(f)}`),
        `  health during outage: ${JSON.stringify(tally(outageHealth.map((s) => s.answer.status)))}`,
        `  back after restart: first created invitation ${firstCreateAfter ? firstCreateAfter.answer.end - startedAt : "never"} ms, ` +
          `first health 200 ${firstHealthAfter ? firstHealthAfter.answer.end - startedAt : "never"} ms`,
      ].join("\n"),
    );

    const serverLog = server.output();
    console.log(
      `  server log: ${(serverLog.match(/Database unavailable/g) ?? []).length} "Database unavailable" warnings, ` +
        `${(serverLog.match(/Unhandled error/g) ?? []).length} unhandled errors, ${(serverLog.match(/Outbox worker run failed/g) ?? []).length} failed worker runs`,
    );
    if (/Unhandled error/.test(serverLog)) console.log(serverLog.split("\n").filter((l) => /Unhandled error/.test(l)).slice(0, 3).join("\n"));

    // No hangs, no 500s: every API answer is an envelope, in bounded time.
    const slow = sent.filter((s) => s.answer.status === 0 || s.answer.ms > MAX_ANSWER_MS);
    expect(slow.map((s) => `${s.kind} ${s.answer.status} ${Math.round(s.answer.ms)} ms ${s.answer.error ?? ""}`)).toEqual([]);
    const bad = api.filter((s) => envelopeProblem(s.answer) !== null || (s.answer.status >= 500 && s.answer.status !== 503));
    expect(bad.map((s) => `${s.kind} ${phase(s.answer)}: ${envelopeProblem(s.answer) ?? JSON.stringify(s.answer.body)}`)).toEqual([]);
    for (const s of api.filter((s) => s.answer.status === 503)) {
      expect(s.answer.body.code).toBe("unavailable");
    }
    // While the server is down nothing can succeed: all 503 (and some were sent).
    const outage = api.filter((s) => inOutage(s.answer));
    expect(outage.length).toBeGreaterThan(0);
    expect(tally(outage.map((s) => s.answer.status))).toEqual({ 503: outage.length });
    expect(outageHealth.length).toBeGreaterThan(0);
    expect(outageHealth.every((s) => s.answer.status === 503)).toBe(true);
    // Before the outage everything worked.
    const before = api.filter((s) => s.answer.end < stopAt);
    expect(before.length).toBeGreaterThan(0);
    expect(before.filter((s) => s.answer.status !== 200)).toEqual([]);
    // It came back by itself.
    expect(firstCreateAfter, "a successful create after the restart").toBeDefined();
    expect(firstHealthAfter, "health 200 after the restart").toBeDefined();
    expect(server.child.exitCode).toBeNull();
    expect(server.child.signalCode).toBeNull();
    expect((await call(`${base}/api/health`)).status).toBe(200);
    const after = await call(`${base}/v1/organization`, { headers: apiHeaders(KEY) });
    expect(after.status).toBe(200);

    // Nothing half-written: every invitation has its outbox row and its audit event...
    const orphans = await query<{ id: number; outbox: number; audit: number }>(
      databaseUrl,
      `SELECT i.id,
              (SELECT count(*)::int FROM "EmailOutbox" o WHERE o."invitationId" = i.id) AS outbox,
              (SELECT count(*)::int FROM "AuditEvent" a WHERE a.action = 'org.invitations.create' AND a."targetId" = i.id::text) AS audit
         FROM "Invitation" i`,
    );
    expect(orphans.filter((r) => r.outbox !== 1 || r.audit !== 1)).toEqual([]);
    // ...every created answer was committed, and every 503 changed nothing.
    const stored = new Set(
      (await query<{ email: string }>(databaseUrl, `SELECT email FROM "Invitation"`)).map((r) => r.email),
    );
    const creates = sent.filter((s) => s.kind === "create");
    const okEmails = creates.filter((s) => s.answer.status === 200).flatMap((s) => s.emails!);
    const failedEmails = creates.filter((s) => s.answer.status !== 200).flatMap((s) => s.emails!);
    expect(okEmails.filter((e) => !stored.has(e))).toEqual([]);
    expect(failedEmails.filter((e) => stored.has(e))).toEqual([]);
    expect(stored.size).toBe(okEmails.length);

    // The worker catches up on its own: every message sent once. A batch claimed just before
    // the outage is re-sent when its 60 s lease expires, under the same idempotency key.
    const emailStart = Date.now();
    const deadline = emailStart + 90_000;
    let pending: { n: number }[] = [];
    for (;;) {
      pending = await query<{ n: number }>(databaseUrl, `SELECT count(*)::int AS n FROM "EmailOutbox" WHERE status <> 'SENT'`);
      if (pending[0]!.n === 0 || Date.now() > deadline) break;
      await sleep(500);
    }
    const perRecipient = tally(fake.delivered.flatMap((m) => m.to));
    const keys = fake.requests.map((r) => r.idempotencyKey);
    console.log(
      `  invitations stored ${stored.size} (from ${creates.filter((s) => s.answer.status === 200).length} successful creates); ` +
        `503 creates ${creates.filter((s) => s.answer.status === 503).length} left nothing; ` +
        `outbox all SENT ${Date.now() - emailStart} ms after the load; provider requests ${fake.requests.length} ` +
        `(re-sent keys ${keys.filter((k, i) => k !== null && keys.indexOf(k) !== i).length}), messages ${fake.delivered.length}`,
    );
    expect(pending[0]!.n).toBe(0);
    expect(Object.keys(perRecipient).sort()).toEqual([...stored].sort());
    expect(Object.values(perRecipient).filter((n) => n !== 1)).toEqual([]);
  });
});
