// `npm run bench:list`: GET /v1/organization/invitations with 10,000 invitations in the org (and
// 10,000 in another org, so the query must filter), against `next start` on a throwaway
// PostgreSQL database, vs a minimal node:http + pg server answering the same JSON from the same
// rows (scripts/bench/bare-server.mjs), and that bare server with the app's key-lookup
// statement added. Three loads, 16 connections each (autocannon), interleaved:
//   (a) a page of 100 (`?limit=100`, the newest) — goal p99 <= 50 ms; beside it the app's
//       GET /api/health, the framework's floor on this machine;
//   (b) a page of 100 from the middle of the list (a cursor 5,000 rows deep): keyset paging
//       should cost what the first page costs;
//   (c) the full list (no limit: what Confident's SDKs ask for) — goal >= 1x the bare server's req/s.
// Prints req/s, p50/p90/p99, the ratios and goal checks, statements per request and each
// server's peak RSS. The app runs with RATE_LIMIT_PER_MINUTE=1000000: at the default 300/min the
// flood would get 429s. Flags: --no-build, --build; BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 16).
import { isDeepStrictEqual } from "node:util";
import { authenticateApiKey, settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { createInvitations, listInvitationPage, listInvitations } from "@/lib/services/invitations";
import { createOrg } from "../../tests/helpers/fixtures";
import {
  createBenchDatabase, ensureBuild, interleave, load, machineLine, main, memoryLine, ms, onCleanup, startApp, startChild,
  leastStatements, statementCounter, table, watchMemory, type LoadResult, type MemoryWatch,
} from "./common";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const INVITATIONS = 10_000;
const PAGE = 100;
const PATH = "/v1/organization/invitations";

main(`bench:list — GET ${PATH}, ${INVITATIONS} invitations, pages of ${PAGE} and the full list, ${CONNECTIONS} connections x ${SECONDS} s`, async () => {
  await ensureBuild();
  const { url, db, pgVersion } = await createBenchDatabase("list");
  console.log(machineLine(pgVersion));

  // 100 requests of 100 through the service per org, so each invitation has its outbox and
  // audit rows like real ones.
  const org = await createOrg({ name: "Bench List Org" });
  const other = await createOrg({ name: "Bench Other Org" });
  const seeding = performance.now();
  for (const o of [org, other]) {
    const ctx = { actor: { type: "apiKey" as const, apiKeyId: o.apiKeyId, organizationId: o.id, creatorUserId: null }, requestId: "seed" };
    for (let i = 0; i < INVITATIONS / 100; i++) {
      await createInvitations(ctx, { emails: Array.from({ length: 100 }, (_, j) => `list-${i}-${j}@bench.test`) });
    }
  }
  await db.prisma.$executeRawUnsafe(`ANALYZE "Invitation"`);
  console.log(`seeded ${2 * INVITATIONS} invitations in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

  const count = statementCounter(db);
  const ctx = { actor: { type: "apiKey" as const, apiKeyId: org.apiKeyId, organizationId: org.id, creatorUserId: null }, requestId: "count" };
  const limits = { perKey: 1_000_000, perOrganization: 1_000_000 };
  await authenticateApiKey(org.key, limits);
  await settleBackgroundWrites();
  const countOf = (work: () => Promise<unknown>) =>
    leastStatements(count, async () => {
      await authenticateApiKey(org.key, limits);
      const result = await work();
      await settleBackgroundWrites();
      return result;
    });
  const countedFull = await countOf(() => listInvitations(ctx));
  const countedPage = await countOf(() => listInvitationPage(ctx, { limit: PAGE }));
  if ((countedFull.result as unknown[]).length !== INVITATIONS) throw new Error(`listed ${(countedFull.result as unknown[]).length}`);

  const app = await startApp(url, { RATE_LIMIT_PER_MINUTE: "1000000", RATE_LIMIT_ORG_PER_MINUTE: "1000000" });
  const appMemory = watchMemory(app.child.pid!, true);
  const bare = await startChild("scripts/bench/bare-server.mjs", { DATABASE_URL: url, ORG_ID: org.id });
  const bareMemory = watchMemory(bare.child.pid!, false);
  const bareAuth = await startChild("scripts/bench/bare-server.mjs", { DATABASE_URL: url, ORG_ID: org.id, WITH_AUTH: "1" });
  const bareAuthMemory = watchMemory(bareAuth.child.pid!, false);
  onCleanup(async () => [appMemory, bareMemory, bareAuthMemory].forEach((m) => m.stop()));
  const headers = { CONFIDENT_API_KEY: org.key };

  // The cursor 5,000 rows deep, by walking the app's pages of 500.
  let deepCursor = "";
  for (let seen = 0; seen < INVITATIONS / 2; seen += 500) {
    const res = await fetch(`${app.url}${PATH}?limit=500${deepCursor ? `&cursor=${deepCursor}` : ""}`, { headers });
    deepCursor = ((await res.json()) as { data: { nextCursor: string } }).data.nextCursor;
  }
  const queries = {
    page: `${PATH}?limit=${PAGE}`,
    deep: `${PATH}?limit=${PAGE}&cursor=${deepCursor}`,
    full: PATH,
  };

  // Same JSON from all three, for every query.
  const sizes: Record<string, number> = {};
  for (const [name, query] of Object.entries(queries)) {
    const bodies = await Promise.all([app.url, bare.url, bareAuth.url].map(async (base) => {
      const res = await fetch(base + query, { headers });
      return { status: res.status, text: await res.text() };
    }));
    const parsed = bodies.map((b) => JSON.parse(b.text) as { data?: { invitations: unknown[] } });
    const expected = name === "full" ? INVITATIONS : PAGE;
    if (bodies.some((b) => b.status !== 200) || !parsed.every((p) => isDeepStrictEqual(p, parsed[0])) || parsed[0]!.data!.invitations.length !== expected) {
      throw new Error(`answers to ${query} differ: ${bodies.map((b) => `${b.status} ${b.text.slice(0, 200)}`).join("\n")}`);
    }
    sizes[name] = bodies[0]!.text.length;
  }
  console.log(`responses identical from the app and both bare servers: page of ${PAGE} ${(sizes.page! / 1024).toFixed(0)} KiB, ` +
    `full list of ${INVITATIONS} ${(sizes.full! / 1024).toFixed(0)} KiB of JSON`);
  // Through next start, a client that has the answer gets 304 and no body.
  const etag = (await fetch(app.url + queries.full, { headers })).headers.get("etag");
  const t304 = performance.now();
  const revalidated = await fetch(app.url + queries.full, { headers: { ...headers, "if-none-match": etag ?? "" } });
  const revalidatedMs = performance.now() - t304;
  if (!etag || revalidated.status !== 304 || (await revalidated.text()) !== "") throw new Error(`If-None-Match ${etag}: ${revalidated.status}`);
  console.log(`full list with If-None-Match ${etag}: 304, no body (${revalidatedMs.toFixed(0)} ms, one request)`);

  const servers: { name: string; base: string; memory: MemoryWatch }[] = [
    { name: "app (next start)", base: app.url, memory: appMemory },
    { name: "bare node:http + pg", base: bare.url, memory: bareMemory },
    { name: "bare + auth statement", base: bareAuth.url, memory: bareAuthMemory },
  ];
  const opts = { connections: CONNECTIONS, seconds: SECONDS, headers };
  process.stdout.write("warm-up 3 s per server and query ...");
  for (const s of servers) for (const query of Object.values(queries)) await load(s.base + query, { ...opts, seconds: 3 });
  console.log(` done; measuring ${SECONDS} s each, in 5 interleaved slices`);
  const measure = (query: string) => interleave(servers.map((s) => ({ url: s.base + query, opts })));
  // The framework's own floor on this machine: the app's GET /api/health (no key, one trivial
  // query), measured in the same slices as the first page.
  const withFloor = await interleave([...servers.map((s) => ({ url: s.base + queries.page, opts })), { url: `${app.url}/api/health`, opts }]);
  const floor = withFloor.pop()!;
  const results = { page: withFloor, deep: await measure(queries.deep), full: await measure(queries.full) };
  // Service time without queueing: one connection, app and bare interleaved.
  const [onePage, oneBarePage] = await interleave(servers.slice(0, 2).map((s) => ({ url: s.base + queries.page, opts: { ...opts, connections: 1, seconds: 5 } })));
  const [oneFull, oneBareFull] = await interleave(servers.slice(0, 2).map((s) => ({ url: s.base + queries.full, opts: { ...opts, connections: 1, seconds: 5 } })));

  const titles = { page: `(a) ?limit=${PAGE}, the newest page`, deep: `(b) ?limit=${PAGE}&cursor=<5,000 deep>`, full: `(c) full list, ${INVITATIONS} invitations` };
  for (const [name, rs] of Object.entries(results) as [keyof typeof results, LoadResult[]][]) {
    console.log(`\n${titles[name]}`);
    const rows: (string | number)[][] = [["server", "req/s", "mean ms", "p50 ms", "p90 ms", "p99 ms", "requests"]];
    servers.forEach((s, i) => rows.push([s.name, rs[i]!.rps.toFixed(0), ms(rs[i]!.mean), ms(rs[i]!.p50), ms(rs[i]!.p90), ms(rs[i]!.p99), rs[i]!.total]));
    table(rows);
    const [a, b, ba] = rs as [LoadResult, LoadResult, LoadResult];
    console.log(`  ratio app/bare req/s: ${(a.rps / b.rps).toFixed(2)}x (vs bare + auth statement: ${(a.rps / ba.rps).toFixed(2)}x); p99 app ${ms(a.p99)} ms vs bare ${ms(b.p99)} ms`);
  }

  const [page] = results.page as [LoadResult];
  const [deep] = results.deep as [LoadResult];
  const [full, fullBare] = results.full as [LoadResult, LoadResult];
  const fullRatio = full.rps / fullBare.rps;
  console.log();
  console.log(`goal (a) page of ${PAGE} at ${CONNECTIONS} connections, p99 <= 50 ms: ${page.p99 <= 50 ? "MET" : "NOT MET"} (${ms(page.p99)} ms; ${page.rps.toFixed(0)} req/s, p50 ${ms(page.p50)} ms)`);
  console.log(`      floor, the app's GET /api/health at ${CONNECTIONS} connections: p99 ${ms(floor.p99)} ms, p50 ${ms(floor.p50)} ms, ${floor.rps.toFixed(0)} req/s`);
  console.log(`      the page 5,000 deep: p99 ${ms(deep.p99)} ms, ${deep.rps.toFixed(0)} req/s (${(deep.rps / page.rps).toFixed(2)}x the first page's req/s)`);
  console.log(`goal (c) full list >= 1x the bare server's req/s: ${fullRatio >= 1 ? "MET" : "NOT MET"} (${fullRatio.toFixed(3)}x; ${full.rps.toFixed(1)} vs ${fullBare.rps.toFixed(1)} req/s)`);
  console.log(`app statements per request: page ${countedPage.statements}, full list ${countedFull.statements} (key lookup, then the list query; rate-limit counts are written in batches; counted in-process via Prisma query events)`);
  for (const q of countedPage.queries) console.log(`    ${q.replace(/\s+/g, " ").trim().slice(0, 108)}`);
  console.log(`one connection (5 s each): page app p50 ${ms(onePage!.p50)} / p99 ${ms(onePage!.p99)} ms vs bare p50 ${ms(oneBarePage!.p50)} / p99 ${ms(oneBarePage!.p99)} ms; ` +
    `full list app p50 ${ms(oneFull!.p50)} / p99 ${ms(oneFull!.p99)} ms vs bare p50 ${ms(oneBareFull!.p50)} / p99 ${ms(oneBareFull!.p99)} ms`);
  for (const s of servers) console.log(memoryLine(s.name, s.memory));
  console.log("app: NODE_ENV=production, EMAIL_WORKER=off, RATE_LIMIT_PER_MINUTE=1000000, DATABASE_POOL_MAX=10; bare servers: pg pool of 10; the app also computes an ETag of every answer");
});
