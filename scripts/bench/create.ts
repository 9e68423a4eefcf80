// `npm run bench:create`: POST /v1/organization/invitations and POST /v1/projects/{id}/invitations
// with 1, 10 and 100 emails against `next start` on a throwaway PostgreSQL database (each
// organization and project seeded with 1,000 open invitations, then ANALYZE), one request at a time, interleaved with the floor: a bare `pg` client in this process doing the same work
// in one transaction (lock the org and read the role, dedupe against members and open
// invitations, multi-row insert of the invitations, their outbox rows with sealed links, their
// audit rows), no HTTP. Prints median and p90 per N, the ratio against the goals (N=1 <= 2.0x,
// N=100 <= 1.5x), the round trips per request (auth and BEGIN/COMMIT included, counted
// in-process through Prisma query events on the same code the route runs) and peak RSS.
// Flags: --no-build (use the existing .next-bench), --build (force a rebuild).
import { createCipheriv, createHash, hkdfSync, randomBytes, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { PROJECT_ROLES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { authenticateApiKey, settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { getPrisma } from "@/lib/db";
import { createInvitations, projectScope } from "@/lib/services/invitations";
import { createOrg } from "../../tests/helpers/fixtures";
import {
  AUTH_SECRET, createBenchDatabase, ensureBuild, machineLine, main, memoryLine, ms, onCleanup, percentile,
  leastStatements, startApp, statementCounter, table, watchMemory,
} from "./common";

const SIZES = [1, 10, 100] as const;
const ROUNDS: Record<number, number> = { 1: 200, 10: 150, 100: 60 };
const WARMUP = 15;
const SEEDED = 1_000;
const TTL_MS = 7 * 86_400_000;

// ---- the floor ----
type Scope = { kind: "organization" } | { kind: "project"; projectId: string };
const lockSql = (scope: Scope) => `
  SELECT o.name, o.plan, o."trialEndsAt", r.id AS "roleId", r.name AS "roleName"
    FROM "Organization" o JOIN "Role" r ON r.id = $2::uuid AND ${
      scope.kind === "project" ? `(r."projectId" IS NULL OR r."projectId" = $3)` : `(r."organizationId" IS NULL OR r."organizationId" = o.id)`}
   WHERE o.id = $1 FOR UPDATE OF o`;
const dedupeSql = (scope: Scope) => scope.kind === "project" ? `
  SELECT u.email, 'MEMBER' AS kind, NULL::timestamp AS "expiresAt"
    FROM "ProjectMembership" m JOIN "User" u ON u.id = m."userId" WHERE m."projectId" = $3 AND u.email = ANY($2)
  UNION ALL
  SELECT email, status::text, "expiresAt" FROM "Invitation"
   WHERE "organizationId" = $1 AND "projectId" = $3 AND email = ANY($2) AND status IN ('PENDING', 'DECLINED')` : `
  SELECT u.email, 'MEMBER' AS kind, NULL::timestamp AS "expiresAt"
    FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE m."organizationId" = $1 AND u.email = ANY($2)
  UNION ALL
  SELECT email, status::text, "expiresAt" FROM "Invitation"
   WHERE "organizationId" = $1 AND "projectId" IS NULL AND email = ANY($2) AND status IN ('PENDING', 'DECLINED')`;
const INSERT_INVITATIONS = `
  INSERT INTO "Invitation" ("organizationId", "projectId", email, "roleId", "tokenHash", "expiresAt", "lastSentAt", "createdAt", "updatedAt", "invitedByApiKeyId")
  SELECT $1, $8, v.email, $2::uuid, v.hash, $3, $4, $4, $4, $5 FROM unnest($6::text[], $7::text[]) AS v(email, hash)
  RETURNING *`;
const INSERT_OUTBOX = `
  INSERT INTO "EmailOutbox" (id, "organizationId", "invitationId", kind, recipient, payload, secret, "idempotencyKey")
  SELECT v.id, $1, v.inv, 'invitation', v.email, v.payload::jsonb, v.secret, 'email-' || v.id
    FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[]) AS v(id, inv, email, payload, secret)`;
const INSERT_AUDIT = `
  INSERT INTO "AuditEvent" (id, "organizationId", "projectId", "actorType", "actorId", action, "targetType", "targetId", "requestId", metadata)
  SELECT v.id, $1, $7, 'apiKey', $2, $8, 'invitation', v.target, $3, v.meta::jsonb
    FROM unnest($4::uuid[], $5::text[], $6::text[]) AS v(id, target, meta)`;

function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

async function floorCreate(pool: pg.Pool, org: { id: string; apiKeyId: number }, scope: Scope, emails: string[], stats: { queries: number }) {
  const projectId = scope.kind === "project" ? scope.projectId : null;
  const roleId = projectId ? PROJECT_ROLES.Member : SYSTEM_ROLES.Member;
  const scopeParam = projectId ? [projectId] : [];
  const client = await pool.connect();
  const q = (sql: string, params?: unknown[]) => (stats.queries++, client.query(sql, params));
  try {
    await q("BEGIN");
    const { rows: [o] } = await q(lockSql(scope), [org.id, roleId, ...scopeParam]);
    if (!o || o.plan === "FREE" || (o.plan === "TRIAL" && o.trialEndsAt && o.trialEndsAt <= new Date())) throw new Error("cannot invite");
    const now = new Date();
    const { rows: existing } = await q(dedupeSql(scope), [org.id, emails, ...scopeParam]);
    if (existing.some((e) => e.kind !== "MEMBER" && !(e.kind === "PENDING" && e.expiresAt > now))) throw new Error("renewal is not exercised");
    const taken = new Set(existing.map((e) => e.email));
    const fresh = emails.filter((e) => !taken.has(e));
    const tokens = fresh.map(() => randomBytes(32).toString("base64url"));
    const hashes = tokens.map((t) => createHash("sha256").update(t).digest("hex"));
    const expiresAt = new Date(now.getTime() + TTL_MS);
    const { rows: created } = await q(INSERT_INVITATIONS, [org.id, roleId, expiresAt, now, org.apiKeyId, fresh, hashes, projectId]);
    const tokenByEmail = new Map(fresh.map((e, i) => [e, tokens[i]!]));
    const key = Buffer.from(hkdfSync("sha256", AUTH_SECRET, "confident-secret-box", "email-outbox", 32));
    const payload = JSON.stringify({ organizationName: o.name, projectName: projectId ? "Bench Project" : null, inviterName: null, roleName: o.roleName, expiresAt: expiresAt.toISOString() });
    await q(INSERT_OUTBOX, [
      org.id,
      created.map(() => randomUUID()),
      created.map((r) => r.id),
      created.map((r) => r.email),
      created.map(() => payload),
      created.map((r) => seal(key, JSON.stringify({ inviteUrl: `http://localhost:3000/invite/${tokenByEmail.get(r.email)}` }))),
    ]);
    await q(INSERT_AUDIT, [
      org.id, String(org.apiKeyId), randomUUID(),
      created.map(() => randomUUID()),
      created.map((r) => String(r.id)),
      created.map((r) => JSON.stringify({ email: r.email, roleId: o.roleId, renewed: false })),
      projectId,
      projectId ? "project.invitations.create" : "org.invitations.create",
    ]);
    await q("COMMIT");
    // Same answer shape as the API's (invitations in request order, ISO dates).
    const byEmail = new Map(created.map((r) => [r.email, r]));
    return JSON.stringify(fresh.map((e) => byEmail.get(e)!).map((r) => ({
      id: r.id, email: r.email, status: r.status, created_at: r.createdAt.toISOString(), [projectId ? "projectRoleId" : "organizationRoleId"]: r.roleId,
      expires_at: r.expiresAt.toISOString(), last_sent_at: r.lastSentAt.toISOString(), email_status: r.emailStatus,
    })));
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function appCreate(base: string, key: string, scope: Scope, emails: string[]) {
  const path = scope.kind === "project" ? `/v1/projects/${scope.projectId}/invitations` : "/v1/organization/invitations";
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", CONFIDENT_API_KEY: key },
    body: JSON.stringify({ emails }),
  });
  const body = (await res.json()) as { data?: { invitations: unknown[] } };
  if (res.status !== 200 || body.data?.invitations.length !== emails.length) throw new Error(`app answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
}

/**
 * The app's own fixed cost for the same request: the same body with an invalid role field, so the
 * fetch, Next.js, key auth and body parsing (every email validated) run and the service does not
 * (422). App minus this is what the service adds, comparable with the floor, which has no HTTP.
 */
async function appRefused(base: string, key: string, scope: Scope, emails: string[]) {
  const path = scope.kind === "project" ? `/v1/projects/${scope.projectId}/invitations` : "/v1/organization/invitations";
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", CONFIDENT_API_KEY: key },
    body: JSON.stringify({ emails, [scope.kind === "project" ? "projectRoleId" : "organizationRoleId"]: "not-a-role" }),
  });
  await res.text();
  if (res.status !== 400 && res.status !== 422) throw new Error(`refused request answered ${res.status}`);
}

async function timed(work: () => Promise<unknown>) {
  const t = performance.now();
  await work();
  return performance.now() - t;
}

/** A project named "Bench Project" in the org (the floor's emails name it). */
async function benchProject(organizationId: string): Promise<Scope> {
  const project = await getPrisma().project.create({ data: { organizationId, name: "Bench Project" } });
  return { kind: "project", projectId: project.id };
}

const ORG: Scope = { kind: "organization" };
const scopeName = (scope: Scope) => (scope.kind === "project" ? "project" : "organization");

main("bench:create — POST …/invitations (organization and project) vs a bare pg transaction", async () => {
  await ensureBuild();
  const { url, db, pgVersion } = await createBenchDatabase("create");
  console.log(machineLine(pgVersion));
  const appOrg = await createOrg({ name: "Bench App Org" });
  const floorOrg = await createOrg({ name: "Bench Floor Org" });
  const countOrg = await createOrg({ name: "Bench Count Org" });
  const scopes = {
    app: [ORG, await benchProject(appOrg.id)],
    floor: [ORG, await benchProject(floorOrg.id)],
    count: [ORG, await benchProject(countOrg.id)],
  };
  const pool = new pg.Pool({ connectionString: url, max: 10, options: "-c TimeZone=UTC" });
  onCleanup(() => pool.end());

  // A live organization already has invitations, and PostgreSQL has statistics on its tables
  // (autovacuum analyzes them as they grow): without them the planner guesses, and prepared
  // statements reuse the guess. Both orgs (and their projects) start with the same rows.
  for (const [org, scopeList] of [[appOrg, scopes.app], [floorOrg, scopes.floor]] as const) {
    for (const [i, scope] of scopeList.entries()) {
      for (let b = 0; b < SEEDED / 100; b++) {
        const emails = Array.from({ length: 100 }, (_, e) => `seed-${i}-${b}-${e}@bench.test`);
        await floorCreate(pool, { id: org.id, apiKeyId: org.apiKeyId }, scope, emails, { queries: 0 });
      }
    }
  }
  await pool.query("ANALYZE");
  console.log(`seeded: ${SEEDED} open invitations per organization and per project, then ANALYZE`);

  // Round trips per request: the route's database work (key auth, then the service), run in this
  // process on the same code with a counting Prisma client; BEGIN/COMMIT count when sent.
  const count = statementCounter(db);
  const ctx = { actor: { type: "apiKey" as const, apiKeyId: countOrg.apiKeyId, organizationId: countOrg.id, creatorUserId: null }, requestId: "bench" };
  const appCounts: Record<string, { roundTrips: number; queries: string[] }> = {};
  const floorCounts: Record<string, number> = {};
  await authenticateApiKey(countOrg.key, { perKey: 1_000_000, perOrganization: 1_000_000 }); // first use writes lastUsedAt (once a minute per key)
  await settleBackgroundWrites();
  for (const [i, scope] of scopes.count.entries()) {
    for (const n of SIZES) {
      let k = 0;
      appCounts[`${i}:${n}`] = await leastStatements(count, async () => {
        if (!(await authenticateApiKey(countOrg.key, { perKey: 1_000_000, perOrganization: 1_000_000 }))) throw new Error("auth failed");
        const emails = Array.from({ length: n }, (_, e) => `count-${i}-${n}-${k}-${e}@bench.test`);
        await createInvitations(ctx, { emails }, scope.kind === "project" ? projectScope(scope.projectId) : undefined);
        await settleBackgroundWrites();
        k++;
      });
      const stats = { queries: 0 };
      await floorCreate(pool, { id: countOrg.id, apiKeyId: countOrg.apiKeyId }, scope, Array.from({ length: n }, (_, e) => `floor-${i}-${n}-${e}@bench.test`), stats);
      floorCounts[`${i}:${n}`] = stats.queries;
    }
  }

  const server = await startApp(url, { RATE_LIMIT_PER_MINUTE: "1000000", RATE_LIMIT_ORG_PER_MINUTE: "1000000" });
  const memory = watchMemory(server.child.pid!, true);
  onCleanup(async () => memory.stop());
  const goals: string[] = [];
  for (const [i, scope] of scopes.app.entries()) {
    const results: (string | number)[][] = [
      ["N", "rounds", "app p50", "app p90", "floor p50", "floor p90", "ratio p50", "ratio p90", "app ms/email", "app trips", "floor trips", "refused p50", "(app-refused)/floor", "health p50"],
    ];
    for (const n of SIZES) {
      const app: number[] = [];
      const floor: number[] = [];
      const refused: number[] = [];
      const health: number[] = [];
      for (let r = -WARMUP; r < ROUNDS[n]!; r++) {
        const emails = Array.from({ length: n }, (_, e) => `s${i}-r${r + WARMUP}-${e}-n${n}@bench.test`);
        const a = await timed(() => appCreate(server.url, appOrg.key, scope, emails));
        const f = await timed(() => floorCreate(pool, { id: floorOrg.id, apiKeyId: floorOrg.apiKeyId }, scopes.floor[i]!, emails, { queries: 0 }));
        const x = await timed(() => appRefused(server.url, appOrg.key, scope, emails));
        const h = await timed(() => fetch(`${server.url}/api/health`).then((res) => res.text()));
        if (r >= 0) {
          app.push(a);
          floor.push(f);
          refused.push(x);
          health.push(h);
        }
      }
      const [a50, a90, f50, f90] = [percentile(app, 50), percentile(app, 90), percentile(floor, 50), percentile(floor, 90)];
      const x50 = percentile(refused, 50);
      const h50 = percentile(health, 50);
      const c = appCounts[`${i}:${n}`]!;
      results.push([n, ROUNDS[n]!, ms(a50), ms(a90), ms(f50), ms(f90), `${(a50 / f50).toFixed(2)}x`, `${(a90 / f90).toFixed(2)}x`,
        ms(a50 / n), c.roundTrips, floorCounts[`${i}:${n}`]!, ms(x50), `${((a50 - x50) / f50).toFixed(2)}x`, ms(h50)]);
      const goal = n === 1 ? 2.0 : n === 100 ? 1.5 : null;
      if (goal) {
        goals.push(`${scopeName(scope)} N=${n}: ${(a50 / f50).toFixed(2)}x (goal <= ${goal.toFixed(1)}x: ${a50 / f50 <= goal ? "met" : "NOT met"}` +
          `${n === 1 ? `; GET /api/health alone is ${(h50 / f50).toFixed(2)}x this floor` : ""})`);
      }
    }
    console.log(`\n${scopeName(scope)} invitations — latency in ms, one request at a time, app and floor interleaved (warm-up ${WARMUP} each, not counted):`);
    table(results);
    const trips = SIZES.map((n) => appCounts[`${i}:${n}`]!.roundTrips);
    console.log(`app round trips per request (auth + service, BEGIN/COMMIT included): ${SIZES.map((n, j) => `N=${n}: ${trips[j]}`).join(", ")} — ` +
      `${trips.every((t) => t === trips[0]) ? "constant in N" : "GROWS WITH N"}, ${Math.max(...trips) <= 4 ? "<= 4 (goal met)" : "> 4 (goal NOT met)"}`);
    console.log("  refused: the same request with an invalid role field (fetch + Next.js + key auth + body parsing, no service);");
    console.log("  (app-refused)/floor: what the service adds, against the floor's whole transaction (which has no HTTP)");
    console.log("  health: GET /api/health in the same rounds (fetch + Next.js + one SELECT, no key): the app's cost before any of its own work");
    console.log(`  the app's statements at N=100 (the floor sends BEGIN, 5 statements, COMMIT):`);
    for (const q of appCounts[`${i}:100`]!.queries) console.log(`    ${q.replace(/\s+/g, " ").trim().slice(0, 108)}`);
  }
  console.log(`\ngoals (p50 ratio): ${goals.join("; ")}`);

  const { rows } = await pool.query(
    `SELECT o.name, (SELECT count(*) FROM "Invitation" i WHERE i."organizationId" = o.id)::int AS inv,
            (SELECT count(*) FROM "EmailOutbox" e WHERE e."organizationId" = o.id)::int AS outbox,
            (SELECT count(*) FROM "AuditEvent" a WHERE a."organizationId" = o.id)::int AS audit
       FROM "Organization" o WHERE o.id = ANY($1) ORDER BY o.name`, [[appOrg.id, floorOrg.id]]);
  console.log(`rows written (invitations/outbox/audit): ${rows.map((r) => `${r.name}: ${r.inv}/${r.outbox}/${r.audit}`).join("; ")}`);
  console.log(memoryLine("next-server", memory));
  console.log("app: next start (NODE_ENV=production, EMAIL_WORKER=off, RATE_LIMIT_PER_MINUTE=1000000), client fetch over loopback; floor: no HTTP, pool of 10 in the bench process");
});
