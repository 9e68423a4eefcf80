// `npm run bench:auth`: what organization-key auth + rate limiting costs per request. Against one
// `next start` on a throwaway PostgreSQL database (autocannon): the unauthenticated
// GET /api/health (one query) vs GET /v1/organization (key auth: one indexed read that also
// brings the key's organization; the rate-limit counts are kept in memory and written in
// batches), at 1 connection (latency)
// and 16 (throughput; one key, and 16 keys). Also the statements per request (in-process, Prisma
// query events, batched count writes included) and each statement's own time on one pg
// connection, and the server's peak RSS.
// The app runs with RATE_LIMIT_PER_MINUTE=1000000 so the flood is never cut by 429s.
// Flags: --no-build, --build, --unlogged-rate-limit (see below); BENCH_SECONDS (default 10; the 1-connection runs take half).
import { performance } from "node:perf_hooks";
import pg from "pg";
import { hashApiKey } from "@/lib/auth/api-keys";
import { authenticateApiKey, settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { checkHealth } from "@/lib/services/health";
import { flushRequestCounts } from "@/lib/services/request-counter";
import { getOrganization } from "@/lib/services/organization";
import { createOrg } from "../../tests/helpers/fixtures";
import {
  ARGS, createBenchDatabase, ensureBuild, interleave, load, machineLine, main, memoryLine, ms, onCleanup, percentile, startApp,
  leastStatements, statementCounter, table, watchMemory, type LoadResult,
} from "./common";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const KEYS = 16;
// --unlogged-rate-limit: preview of a proposed schema change (this throwaway database only).
const UNLOGGED = ARGS.has("--unlogged-rate-limit");

// The app's statements, as written in lib/services (health.ts, api-key-auth.ts).
const HEALTH_SQL = `SELECT count(*)::int AS count FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
const LOOKUP_SQL = `SELECT id, "organizationId", "lastUsedAt" FROM "ApiKey" WHERE "keyHash" = $1 AND valid`;
// What every request paid before the counts were batched: the lookup plus a committed upsert.
const AUTH_SQL_BEFORE = `
  WITH k AS (${LOOKUP_SQL}), hit AS (
    INSERT INTO "RateLimitBucket" (key, "windowStart", count, "expiresAt")
    SELECT 'apiKey:' || k.id, date_trunc('minute', now() AT TIME ZONE 'UTC'), 1, date_trunc('minute', now() AT TIME ZONE 'UTC') + interval '1 minute' FROM k
    ON CONFLICT (key, "windowStart") DO UPDATE SET count = "RateLimitBucket".count + 1
    RETURNING count
  )
  SELECT k.id, k."organizationId", k."lastUsedAt", hit.count FROM k CROSS JOIN hit`;

main(`bench:auth — key auth + rate limit per request${UNLOGGED ? " (RateLimitBucket UNLOGGED)" : ""}`, async () => {
  await ensureBuild();
  const { url, db, pgVersion } = await createBenchDatabase("auth");
  console.log(machineLine(pgVersion));
  const orgs: Awaited<ReturnType<typeof createOrg>>[] = [];
  for (let i = 0; i < KEYS; i++) orgs.push(await createOrg({ name: `Bench Auth Org ${i}` }));
  const org = orgs[0]!;

  // Statements per request, in-process on the routes' code.
  const count = statementCounter(db);
  const ctx = { actor: { type: "apiKey" as const, apiKeyId: org.apiKeyId, organizationId: org.id, creatorUserId: null }, requestId: "count" };
  await authenticateApiKey(org.key, { perKey: 1_000_000, perOrganization: 1_000_000 }); // a key's first use also writes lastUsedAt (then once a minute)
  await settleBackgroundWrites();
  const health = await count(() => checkHealth());
  const orgCall = await leastStatements(count, async () => {
    const auth = await authenticateApiKey(org.key, { perKey: 1_000_000, perOrganization: 1_000_000 });
    await getOrganization({ ...ctx, actor: auth!.actor });
    await settleBackgroundWrites();
  });
  const many = await count(async () => {
    for (let i = 0; i < 1_000; i++) await authenticateApiKey(org.key, { perKey: 1_000_000, perOrganization: 1_000_000 });
    await settleBackgroundWrites();
    await flushRequestCounts();
  });

  // Each statement alone, one connection, sequential (server-side cost incl. commit of the write).
  const client = new pg.Client({ connectionString: url, options: "-c TimeZone=UTC" });
  await client.connect();
  onCleanup(() => client.end());
  if (UNLOGGED) await client.query(`ALTER TABLE "RateLimitBucket" SET UNLOGGED`);
  const single: (string | number)[][] = [["statement (one pg connection, 500 runs)", "p50 ms", "p90 ms"]];
  for (const [name, sql, params] of [
    ["health: count of _prisma_migrations", HEALTH_SQL, []],
    ["key lookup only (SELECT by keyHash)", LOOKUP_SQL, [hashApiKey(org.key)]],
    ["before: lookup + rate-limit upsert (commits)", AUTH_SQL_BEFORE, [hashApiKey(org.key)]],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < 550; i++) {
      const t = performance.now();
      await client.query(sql, [...params]);
      if (i >= 50) times.push(performance.now() - t);
    }
    single.push([name, ms(percentile(times, 50)), ms(percentile(times, 90))]);
  }

  const app = await startApp(url, { RATE_LIMIT_PER_MINUTE: "1000000", RATE_LIMIT_ORG_PER_MINUTE: "1000000" });
  const memory = watchMemory(app.child.pid!, true);
  onCleanup(async () => memory.stop());
  const healthUrl = `${app.url}/api/health`;
  const orgUrl = `${app.url}/v1/organization`;
  const headers = { CONFIDENT_API_KEY: org.key };
  const half = Math.max(1, Math.round(SECONDS / 2));
  process.stdout.write("warm-up 2 s each ...");
  await load(healthUrl, { connections: 16, seconds: 2 });
  await load(orgUrl, { connections: 16, seconds: 2, headers });
  console.log(` done; measuring in 5 interleaved slices (1 connection: ${half} s each; 16 connections: ${SECONDS} s each)`);

  const labels = ["GET /api/health (no auth)", "GET /v1/organization", "GET /api/health (no auth)", "GET /v1/organization, 1 key", `GET /v1/organization, ${KEYS} keys`];
  const conns = [1, 1, 16, 16, 16];
  const results = [
    ...(await interleave([
      { url: healthUrl, opts: { connections: 1, seconds: half } },
      { url: orgUrl, opts: { connections: 1, seconds: half, headers } },
    ])),
    ...(await interleave([
      { url: healthUrl, opts: { connections: 16, seconds: SECONDS } },
      { url: orgUrl, opts: { connections: 16, seconds: SECONDS, headers } },
      { url: orgUrl, opts: { connections: 16, seconds: SECONDS, perConnection: (i) => ({ CONFIDENT_API_KEY: orgs[i % KEYS]!.key }) } },
    ])),
  ];
  const runs = results.map((r, i) => [labels[i]!, conns[i]!, r] as const);

  console.log();
  table([["endpoint", "conns", "req/s", "mean ms", "p50 ms", "p90 ms", "p99 ms", "requests"],
    ...runs.map(([label, c, r]) => [label, c, r.rps.toFixed(0), ms(r.mean), ms(r.p50), ms(r.p90), ms(r.p99), r.total])]);
  const [h1, o1, h16, o16, o16k] = results as [LoadResult, LoadResult, LoadResult, LoadResult, LoadResult];
  console.log(`\nauthenticated GET /v1/organization vs health, 1 connection: mean +${ms(o1.mean - h1.mean)} ms, req/s ${(o1.rps / h1.rps).toFixed(2)}x`);
  const goal = (r: number) => (r >= 0.8 ? "met" : "NOT met");
  console.log(`goal: authenticated GET >= 0.8x health's req/s — 1 connection ${(o1.rps / h1.rps).toFixed(2)}x ${goal(o1.rps / h1.rps)}, ` +
    `16 connections ${(o16.rps / h16.rps).toFixed(2)}x ${goal(o16.rps / h16.rps)}`);
  console.log(`same at 16 connections: mean +${ms(o16.mean - h16.mean)} ms, p50 +${ms(o16.p50 - h16.p50)} ms, p99 +${ms(o16.p99 - h16.p99)} ms, req/s ${(o16.rps / h16.rps).toFixed(2)}x (${KEYS} keys: ${(o16k.rps / h16.rps).toFixed(2)}x)`);
  console.log(`statements per request: /api/health ${health.statements}; /v1/organization ${orgCall.statements} (the key lookup, which brings the organization); ` +
    `auth alone over 1,000 calls: ${(many.statements / 1_000).toFixed(3)} on the request path (the key lookup), ` +
    `${(many.beside / 1_000).toFixed(3)} beside it (batched request-count writes, lastUsedAt, sweeps)`);
  console.log("  (in-process through Prisma query events on the same service code the routes call)");
  console.log();
  table(single);
  console.log();
  console.log(memoryLine("next-server", memory));
  console.log("app: NODE_ENV=production, EMAIL_WORKER=off, RATE_LIMIT_PER_MINUTE=1000000 (default 300/min would answer 429)");
});
