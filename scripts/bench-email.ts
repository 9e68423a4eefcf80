// `npm run bench:email`: drains 1,000 queued invitation emails through the outbox worker to a
// loopback fake Resend (real SDK, batches of 100), and compares with a same-run baseline: the
// bare SDK sending the same number of pre-rendered messages in batches, no database. Prints
// time, messages/s and the ratio. Uses embedded PGlite in memory, or DATABASE_URL if set
// (PostgreSQL; the database must be disposable — the bench writes to it).
import "./load-env";
import { performance } from "node:perf_hooks";
import { PGlite } from "@electric-sql/pglite";
import { Resend } from "resend";
import { pgliteConnection } from "@/lib/db/connection";
import { setDatabase } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { openPostgres, type Database } from "@/lib/db/open";
import { wrapPglite } from "@/lib/db/open-pglite";
import { runOutboxOnce } from "@/lib/email/outbox-worker";
import { resendTransport } from "@/lib/email/transport";
import { env } from "@/lib/env";
import { createInvitations } from "@/lib/services/invitations";
import { startFakeResend } from "../tests/helpers/fake-resend";
import { createOrg } from "../tests/helpers/fixtures";

const TOTAL = 1_000;

async function openBenchDatabase(): Promise<Database> {
  const url = env().DATABASE_URL;
  if (url) {
    const db = openPostgres(url, 10);
    const conn = await db.openRawConnection();
    await migrate(conn).finally(() => conn.close());
    return db;
  }
  const pglite = await PGlite.create();
  await migrate(pgliteConnection(pglite));
  return wrapPglite(pglite);
}

async function main() {
  const db = await openBenchDatabase();
  setDatabase(db);
  const fake = await startFakeResend();
  try {
    // Baseline: the SDK alone, same message count and batch size, messages rendered up front.
    const sdk = new Resend("re_bench", { baseUrl: fake.baseUrl });
    const message = { from: "bench@example.com", to: ["x@example.com"], subject: "Join Bench", html: "<p>hi</p>".repeat(200), text: "hi" };
    let start = performance.now();
    for (let i = 0; i < TOTAL / 100; i++) {
      const { error } = await sdk.batch.send(Array.from({ length: 100 }, () => message), { idempotencyKey: `baseline-${i}` });
      if (error) throw new Error(error.message);
    }
    const baselineMs = performance.now() - start;
    fake.delivered.length = 0;

    // Queue 1,000 invitations (10 requests of 100), then drain the outbox.
    const org = await createOrg({ name: "Bench Org" });
    const ctx = { actor: { type: "apiKey" as const, apiKeyId: org.apiKeyId, organizationId: org.id, creatorUserId: null }, requestId: "bench" };
    for (let i = 0; i < TOTAL / 100; i++) {
      await createInvitations(ctx, { emails: Array.from({ length: 100 }, (_, j) => `bench-${i}-${j}@example.com`) });
    }
    const transport = resendTransport({ apiKey: "re_bench", baseUrl: fake.baseUrl, timeoutMs: 30_000 });
    start = performance.now();
    let sent = 0;
    while (sent < TOTAL) {
      const summary = await runOutboxOnce({ transport, from: "Confident <bench@example.com>", maxAttempts: 3 });
      if (summary.claimed === 0) throw new Error(`stalled after ${sent} messages`);
      sent += summary.sent;
    }
    const workerMs = performance.now() - start;
    if (fake.delivered.length !== TOTAL) throw new Error(`fake received ${fake.delivered.length} messages`);

    const rate = (ms: number) => ((TOTAL / ms) * 1000).toFixed(0);
    console.log(`database: ${db.kind}; ${TOTAL} messages in batches of 100; peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
    console.log(`baseline (bare SDK, no database): ${baselineMs.toFixed(0)} ms  ${rate(baselineMs)} msg/s`);
    console.log(`outbox worker (claim, render, send, mark): ${workerMs.toFixed(0)} ms  ${rate(workerMs)} msg/s`);
    console.log(`ratio worker/baseline throughput: ${(baselineMs / workerMs).toFixed(2)}x`);
  } finally {
    await fake.close();
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
