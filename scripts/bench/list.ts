// `npm run bench:list`: GET /v1/organization/invitations with 1,000 invitations in the org,
// 16 connections for 10 s (autocannon), against `next start` on a throwaway PostgreSQL
// database, vs a minimal node:http + pg server answering the same JSON from the same query
// (scripts/bench/bare-server.mjs), and that bare server with the app's key-auth + rate-limit
// statement added. Prints req/s, p50/p90/p99, the ratios, whether the goal (>= 0.5x the bare
// server's req/s, p99 <= 50 ms) is met, the statements per request and each server's peak RSS.
// The app runs with RATE_LIMIT_PER_MINUTE=1000000: at the default 300/min the flood would get 429s.
// Flags: --no-build, --build; BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 16).
import { isDeepStrictEqual } from "node:util";
import { authenticateApiKey, settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { createInvitations, listInvitations } from "@/lib/services/invitations";
import { createOrg } from "../../tests/helpers/fixtures";
import {
  createBenchDatabase, ensureBuild, interleave, load, machineLine, main, memoryLine, ms, onCleanup, startApp, startChild,
  leastStatements, statementCounter, table, watchMemory, type LoadResult, type MemoryWatch,
} from "./common";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const INVITATIONS = 1_000;
const PATH = "/v1/organization/invitations";

main(`bench:list — GET ${PATH}, ${INVITATIONS} invitations, ${CONNECTIONS} connections x ${SECONDS} s`, async () => {
  await ensureBuild();
  const { url, db, pgVersion } = await createBenchDatabase("list");
  console.log(machineLine(pgVersion));

  // The org under test gets 1,000 invitations (10 requests of 100 through the service, so each
  // has its outbox and audit rows); another org gets 1,000 too, so the query must filter.
  const org = await createOrg({ name: "Bench List Org" });
  const other = await createOrg({ name: "Bench Other Org" });
  for (const o of [org, other]) {
    const ctx = { actor: { type: "apiKey" as const, apiKeyId: o.apiKeyId, organizationId: o.id, creatorUserId: null }, requestId: "seed" };
    for (let i = 0; i < INVITATIONS / 100; i++) {
      await createInvitations(ctx, { emails: Array.from({ length: 100 }, (_, j) => `list-${i}-${j}@bench.test`) });
    }
  }
  const count = statementCounter(db);
  const ctx = { actor: { type: "apiKey" as const, apiKeyId: org.apiKeyId, organizationId: org.id, creatorUserId: null }, requestId: "count" };
  await authenticateApiKey(org.key, { perKey: 1_000_000, perOrganization: 1_000_000 });
  await settleBackgroundWrites();
  const counted = await leastStatements(count, async () => {
    await authenticateApiKey(org.key, { perKey: 1_000_000, perOrganization: 1_000_000 });
    const list = await listInvitations(ctx);
    await settleBackgroundWrites();
    return list;
  });
  if (counted.result.length !== INVITATIONS) throw new Error(`listed ${counted.result.length}`);

  const app = await startApp(url, { RATE_LIMIT_PER_MINUTE: "1000000", RATE_LIMIT_ORG_PER_MINUTE: "1000000" });
  const appMemory = watchMemory(app.child.pid!, true);
  const bare = await startChild("scripts/bench/bare-server.mjs", { DATABASE_URL: url, ORG_ID: org.id });
  const bareMemory = watchMemory(bare.child.pid!, false);
  const bareAuth = await startChild("scripts/bench/bare-server.mjs", { DATABASE_URL: url, ORG_ID: org.id, WITH_AUTH: "1" });
  const bareAuthMemory = watchMemory(bareAuth.child.pid!, false);
  onCleanup(async () => [appMemory, bareMemory, bareAuthMemory].forEach((m) => m.stop()));
  const headers = { CONFIDENT_API_KEY: org.key };

  // Same JSON from all three.
  const bodies = await Promise.all([app.url, bare.url, bareAuth.url].map(async (base) => {
    const res = await fetch(base + PATH, { headers });
    return { status: res.status, text: await res.text() };
  }));
  const parsed = bodies.map((b) => JSON.parse(b.text) as { data?: { invitations: unknown[] } });
  if (bodies.some((b) => b.status !== 200) || !parsed.every((p) => isDeepStrictEqual(p, parsed[0])) || parsed[0]!.data!.invitations.length !== INVITATIONS) {
    throw new Error(`answers differ: ${bodies.map((b) => `${b.status} ${b.text.slice(0, 200)}`).join("\n")}`);
  }
  console.log(`response: ${INVITATIONS} invitations, ${(bodies[0]!.text.length / 1024).toFixed(0)} KiB of JSON, identical from the app and both bare servers`);

  const servers: { name: string; base: string; memory: MemoryWatch; result?: LoadResult }[] = [
    { name: "app (next start)", base: app.url, memory: appMemory },
    { name: "bare node:http + pg", base: bare.url, memory: bareMemory },
    { name: "bare + auth statement", base: bareAuth.url, memory: bareAuthMemory },
  ];
  process.stdout.write("warm-up 3 s each ...");
  for (const s of servers) await load(s.base + PATH, { connections: CONNECTIONS, seconds: 3, headers });
  console.log(` done; measuring ${SECONDS} s each, in 5 interleaved slices`);
  const results = await interleave(servers.map((s) => ({ url: s.base + PATH, opts: { connections: CONNECTIONS, seconds: SECONDS, headers } })));
  servers.forEach((s, i) => (s.result = results[i]));
  // Service time without queueing: one connection, app and bare interleaved.
  const [one, oneBare] = await interleave(servers.slice(0, 2).map((s) => ({ url: s.base + PATH, opts: { connections: 1, seconds: 5, headers } })));

  const rows: (string | number)[][] = [["server", "req/s", "mean ms", "p50 ms", "p90 ms", "p99 ms", "requests", "peak RSS MiB"]];
  for (const s of servers) {
    const r = s.result!;
    rows.push([s.name, r.rps.toFixed(0), ms(r.mean), ms(r.p50), ms(r.p90), ms(r.p99), r.total, s.memory.peak().hwmMiB.toFixed(0)]);
  }
  console.log();
  table(rows);
  const [a, b, ba] = servers.map((s) => s.result!) as [LoadResult, LoadResult, LoadResult];
  const ratio = a.rps / b.rps;
  console.log(`\nratio app/bare req/s: ${ratio.toFixed(2)}x (vs bare + auth statement: ${(a.rps / ba.rps).toFixed(2)}x); p99 app ${ms(a.p99)} ms vs bare ${ms(b.p99)} ms`);
  console.log(`goal >= 0.5x bare req/s: ${ratio >= 0.5 ? "MET" : "NOT MET"} (${ratio.toFixed(3)}); goal p99 <= 50 ms: ${a.p99 <= 50 ? "MET" : "NOT MET"} (${ms(a.p99)} ms)`);
  console.log(`app statements per request: ${counted.statements} (key auth + rate limit, then the list query; counted in-process via Prisma query events)`);
  for (const q of counted.queries) console.log(`    ${q.replace(/\s+/g, " ").trim().slice(0, 108)}`);
  console.log(`one connection (5 s each): app p50 ${ms(one!.p50)} / p99 ${ms(one!.p99)} ms, ${one!.rps.toFixed(0)} req/s; ` +
    `bare p50 ${ms(oneBare!.p50)} / p99 ${ms(oneBare!.p99)} ms, ${oneBare!.rps.toFixed(0)} req/s`);
  console.log(`(at ${CONNECTIONS} connections the mean latency is ${CONNECTIONS} / req/s: a p99 <= 50 ms needs well over ${(CONNECTIONS / 0.05).toFixed(0)} req/s)`);
  for (const s of servers) console.log(memoryLine(s.name, s.memory));
  console.log("app: NODE_ENV=production, EMAIL_WORKER=off, RATE_LIMIT_PER_MINUTE=1000000, DATABASE_POOL_MAX=10; bare servers: pg pool of 10");
});
