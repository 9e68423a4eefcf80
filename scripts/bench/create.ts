// `npm run bench:create`: POST /v1/organization/invitations with 1, 10 and 100 emails against
// `next start` on a throwaway PostgreSQL database, one request at a time, interleaved with the
// floor: a bare `pg` client in this process doing the same work in one transaction (lock the
// org and read the role, dedupe against members and open invitations, multi-row insert of the
// invitations, their outbox rows with sealed links, their audit rows), no HTTP. Prints median
// and p90 per N, the ratio, the statements per request (counted in-process through Prisma
// query events on the same service code the route calls) and the server's peak RSS.
// Flags: --no-build (use the existing .next-bench), --build (force a rebuild).
import { createCipheriv, createHash, hkdfSync, randomBytes, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { authenticateApiKey, settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { createInvitations } from "@/lib/services/invitations";
import { createOrg } from "../../tests/helpers/fixtures";
import {
  AUTH_SECRET, createBenchDatabase, ensureBuild, machineLine, main, memoryLine, ms, onCleanup, percentile,
  leastStatements, startApp, statementCounter, table, watchMemory,
} from "./common";

const SIZES = [1, 10, 100] as const;
const ROUNDS: Record<number, number> = { 1: 200, 10: 150, 100: 60 };
const WARMUP = 15;
const TTL_MS = 7 * 86_400_000;

// ---- the floor ----
const LOCK = `
  SELECT o.name, o.plan, o."trialEndsAt", r.id AS "roleId", r.name AS "roleName"
    FROM "Organization" o JOIN "Role" r ON r.id = $2::uuid AND (r."organizationId" IS NULL OR r."organizationId" = o.id)
   WHERE o.id = $1 FOR UPDATE OF o`;
const DEDUPE = `
  SELECT u.email, 'MEMBER' AS kind, NULL::timestamp AS "expiresAt"
    FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE m."organizationId" = $1 AND u.email = ANY($2)
  UNION ALL
  SELECT email, status::text, "expiresAt" FROM "Invitation"
   WHERE "organizationId" = $1 AND email = ANY($2) AND status IN ('PENDING', 'DECLINED')`;
const INSERT_INVITATIONS = `
  INSERT INTO "Invitation" ("organizationId", email, "roleId", "tokenHash", "expiresAt", "lastSentAt", "createdAt", "updatedAt", "invitedByApiKeyId")
  SELECT $1, v.email, $2::uuid, v.hash, $3, $4, $4, $4, $5 FROM unnest($6::text[], $7::text[]) AS v(email, hash)
  RETURNING *`;
const INSERT_OUTBOX = `
  INSERT INTO "EmailOutbox" (id, "organizationId", "invitationId", kind, recipient, payload, secret, "idempotencyKey")
  SELECT v.id, $1, v.inv, 'invitation', v.email, v.payload::jsonb, v.secret, 'email-' || v.id
    FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[]) AS v(id, inv, email, payload, secret)`;
const INSERT_AUDIT = `
  INSERT INTO "AuditEvent" (id, "organizationId", "actorType", "actorId", action, "targetType", "targetId", "requestId", metadata)
  SELECT v.id, $1, 'apiKey', $2, 'org.invitations.create', 'invitation', v.target, $3, v.meta::jsonb
    FROM unnest($4::uuid[], $5::text[], $6::text[]) AS v(id, target, meta)`;

function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

async function floorCreate(pool: pg.Pool, org: { id: string; apiKeyId: number }, emails: string[], stats: { queries: number }) {
  const client = await pool.connect();
  const q = (sql: string, params?: unknown[]) => (stats.queries++, client.query(sql, params));
  try {
    await q("BEGIN");
    const { rows: [o] } = await q(LOCK, [org.id, SYSTEM_ROLES.Member]);
    if (!o || o.plan === "FREE" || (o.plan === "TRIAL" && o.trialEndsAt && o.trialEndsAt <= new Date())) throw new Error("cannot invite");
    const now = new Date();
    const { rows: existing } = await q(DEDUPE, [org.id, emails]);
    if (existing.some((e) => e.kind !== "MEMBER" && !(e.kind === "PENDING" && e.expiresAt > now))) throw new Error("renewal is not exercised");
    const taken = new Set(existing.map((e) => e.email));
    const fresh = emails.filter((e) => !taken.has(e));
    const tokens = fresh.map(() => randomBytes(32).toString("base64url"));
    const hashes = tokens.map((t) => createHash("sha256").update(t).digest("hex"));
    const expiresAt = new Date(now.getTime() + TTL_MS);
    const { rows: created } = await q(INSERT_INVITATIONS, [org.id, SYSTEM_ROLES.Member, expiresAt, now, org.apiKeyId, fresh, hashes]);
    const tokenByEmail = new Map(fresh.map((e, i) => [e, tokens[i]!]));
    const key = Buffer.from(hkdfSync("sha256", AUTH_SECRET, "confident-secret-box", "email-outbox", 32));
    const payload = JSON.stringify({ organizationName: o.name, inviterName: null, roleName: o.roleName, expiresAt: expiresAt.toISOString() });
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
    ]);
    await q("COMMIT");
    // Same answer shape as the API's (invitations in request order, ISO dates).
    const byEmail = new Map(created.map((r) => [r.email, r]));
    return JSON.stringify(fresh.map((e) => byEmail.get(e)!).map((r) => ({
      id: r.id, email: r.email, status: r.status, created_at: r.createdAt.toISOString(), organizationRoleId: r.roleId,
      expires_at: r.expiresAt.toISOString(), last_sent_at: r.lastSentAt.toISOString(), email_status: r.emailStatus,
    })));
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function appCreate(base: string, key: string, emails: string[]) {
  const res = await fetch(`${base}/v1/organization/invitations`, {
    method: "POST",
    headers: { "content-type": "application/json", CONFIDENT_API_KEY: key },
    body: JSON.stringify({ emails }),
  });
  const body = (await res.json()) as { data?: { invitations: unknown[] } };
  if (res.status !== 200 || body.data?.invitations.length !== emails.length) throw new Error(`app answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
}

async function timed(work: () => Promise<unknown>) {
  const t = performance.now();
  await work();
  return performance.now() - t;
}

main("bench:create — POST /v1/organization/invitations vs a bare pg transaction", async () => {
  await ensureBuild();
  const { url, db, pgVersion } = await createBenchDatabase("create");
  console.log(machineLine(pgVersion));
  const appOrg = await createOrg({ name: "Bench App Org" });
  const floorOrg = await createOrg({ name: "Bench Floor Org" });
  const countOrg = await createOrg({ name: "Bench Count Org" });
  const pool = new pg.Pool({ connectionString: url, max: 10, options: "-c TimeZone=UTC" });
  onCleanup(() => pool.end());

  // Statements per request: the route's database work (key auth + rate limit, then the service),
  // run in this process on the same code with a counting Prisma client.
  const count = statementCounter(db);
  const ctx = { actor: { type: "apiKey" as const, apiKeyId: countOrg.apiKeyId, organizationId: countOrg.id, creatorUserId: null }, requestId: "bench" };
  const appCounts: Record<number, { statements: number; queries: string[] }> = {};
  const floorCounts: Record<number, number> = {};
  await authenticateApiKey(countOrg.key, { perKey: 1_000_000, perOrganization: 1_000_000 }); // first use writes lastUsedAt (once a minute per key)
  await settleBackgroundWrites();
  for (const n of SIZES) {
    let k = 0;
    appCounts[n] = await leastStatements(count, async () => {
      if (!(await authenticateApiKey(countOrg.key, { perKey: 1_000_000, perOrganization: 1_000_000 }))) throw new Error("auth failed");
      await createInvitations(ctx, { emails: Array.from({ length: n }, (_, i) => `count-${n}-${k}-${i}@bench.test`) });
      await settleBackgroundWrites();
      k++;
    });
    const stats = { queries: 0 };
    await floorCreate(pool, { id: countOrg.id, apiKeyId: countOrg.apiKeyId }, Array.from({ length: n }, (_, i) => `floor-${n}-${i}@bench.test`), stats);
    floorCounts[n] = stats.queries - 2;
  }

  const server = await startApp(url, { RATE_LIMIT_PER_MINUTE: "1000000", RATE_LIMIT_ORG_PER_MINUTE: "1000000" });
  const memory = watchMemory(server.child.pid!, true);
  onCleanup(async () => memory.stop());
  const results: (string | number)[][] = [
    ["N", "rounds", "app p50", "app p90", "floor p50", "floor p90", "ratio p50", "ratio p90", "app ms/email", "app stmts", "floor stmts"],
  ];
  for (const n of SIZES) {
    const app: number[] = [];
    const floor: number[] = [];
    for (let r = -WARMUP; r < ROUNDS[n]!; r++) {
      const emails = Array.from({ length: n }, (_, i) => `r${r + WARMUP}-${i}-n${n}@bench.test`);
      const a = await timed(() => appCreate(server.url, appOrg.key, emails));
      const f = await timed(() => floorCreate(pool, { id: floorOrg.id, apiKeyId: floorOrg.apiKeyId }, emails, { queries: 0 }));
      if (r >= 0) {
        app.push(a);
        floor.push(f);
      }
    }
    const [a50, a90, f50, f90] = [percentile(app, 50), percentile(app, 90), percentile(floor, 50), percentile(floor, 90)];
    const c = appCounts[n]!;
    results.push([n, ROUNDS[n]!, ms(a50), ms(a90), ms(f50), ms(f90), `${(a50 / f50).toFixed(2)}x`, `${(a90 / f90).toFixed(2)}x`,
      ms(a50 / n), c.statements, floorCounts[n]!]);
  }

  console.log(`\nlatency in ms, one request at a time, app and floor interleaved (warm-up ${WARMUP} each, not counted):`);
  table(results);
  const same = SIZES.every((n) => appCounts[n]!.statements === appCounts[1]!.statements);
  console.log(`app statements per request (auth + service, excluding BEGIN/COMMIT): ${SIZES.map((n) => `N=${n}: ${appCounts[n]!.statements}`).join(", ")} — ${same ? "constant in N" : "GROWS WITH N"}`);
  console.log("  (counted in-process through Prisma query events on the route's code path: key auth + rate limit, then createInvitations;");
  console.log("   both sides also send BEGIN and COMMIT; the app's statements at N=100:)");
  for (const q of appCounts[100]!.queries) if (!/^\s*COMMIT/.test(q)) console.log(`    ${q.replace(/\s+/g, " ").trim().slice(0, 108)}`);

  const { rows } = await pool.query(
    `SELECT o.name, (SELECT count(*) FROM "Invitation" i WHERE i."organizationId" = o.id)::int AS inv,
            (SELECT count(*) FROM "EmailOutbox" e WHERE e."organizationId" = o.id)::int AS outbox,
            (SELECT count(*) FROM "AuditEvent" a WHERE a."organizationId" = o.id)::int AS audit
       FROM "Organization" o WHERE o.id = ANY($1) ORDER BY o.name`, [[appOrg.id, floorOrg.id]]);
  console.log(`rows written (invitations/outbox/audit): ${rows.map((r) => `${r.name}: ${r.inv}/${r.outbox}/${r.audit}`).join("; ")}`);
  console.log(memoryLine("next-server", memory));
  console.log("app: next start (NODE_ENV=production, EMAIL_WORKER=off, RATE_LIMIT_PER_MINUTE=1000000), client fetch over loopback; floor: no HTTP, pool of 10 in the bench process");
});
