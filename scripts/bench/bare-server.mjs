// The bare baseline for `npm run bench:list`: node:http + pg, no framework, answering
// GET /v1/organization/invitations with the same envelope and JSON as the app, from the same
// rows in the same order: the whole list, or with ?limit=&cursor= the same keyset page and the
// same nextCursor. WITH_AUTH=1 also runs the app's key-lookup statement first (same SQL). No
// ETag (the app hashes every GET answer on top). Env: DATABASE_URL, ORG_ID, WITH_AUTH. Prints
// `listening <port>`; stops on SIGTERM.
import { createHash, randomUUID } from "node:crypto";
import http from "node:http";
import pg from "pg";

// Timestamps are stored as UTC in timestamp-without-time-zone columns (like Prisma reads them).
pg.types.setTypeParser(1114, (s) => new Date(`${s.replace(" ", "T")}Z`));
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10, options: "-c TimeZone=UTC" });
const ORG_ID = process.env.ORG_ID;
const WITH_AUTH = process.env.WITH_AUTH === "1";

const COLUMNS = `id, "organizationId", email, "roleId", status, "tokenHash", "expiresAt", "lastSentAt", "emailStatus",
         "invitedByUserId", "invitedByApiKeyId", "createdAt", "updatedAt", "respondedAt", "revokedAt"`;
const OPEN = `"organizationId" = $1 AND "projectId" IS NULL AND (status = 'PENDING' OR status = 'DECLINED')`;
const LIST = `SELECT ${COLUMNS} FROM "Invitation" WHERE ${OPEN} ORDER BY "createdAt" DESC, id DESC`;
const FIRST_PAGE = `SELECT ${COLUMNS} FROM "Invitation" WHERE ${OPEN} ORDER BY "createdAt" DESC, id DESC LIMIT $2`;
const PAGE = `
  SELECT ${COLUMNS} FROM "Invitation"
   WHERE ${OPEN} AND ("createdAt", id) < ($3::timestamp, $4::int)
   ORDER BY "createdAt" DESC, id DESC LIMIT $2`;

// The app's cursor: base64url of "<created_at>_<id>".
const cursorOf = (invitation) => Buffer.from(`${invitation.created_at}_${invitation.id}`).toString("base64url");
function decodeCursor(cursor) {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)_([1-9]\d{0,9})$/.exec(Buffer.from(cursor, "base64url").toString("latin1"));
  return m ? [m[1], Number(m[2])] : null;
}
// The app's per-request key lookup (lib/services/api-key-auth.ts); its rate-limit counts are
// written in batches, not per request, so there is no write here either.
const AUTH = `
  SELECT k.id, k."organizationId", k."projectId", k."lastUsedAt", k."createdByUserId", m."roleId"::text AS "roleId",
         (SELECT array_agg(DISTINCT p.name) FROM "RolePolicy" rp
            JOIN "PolicyPermission" pp ON pp."policyId" = rp."policyId"
            JOIN "Permission" p ON p.id = pp."permissionId"
           WHERE rp."roleId" = m."roleId") AS permissions
    FROM "ApiKey" k
    LEFT JOIN "Membership" m ON m."organizationId" = k."organizationId" AND m."userId" = k."createdByUserId"
   WHERE k."keyHash" = $1 AND k.valid
     AND (k."createdByUserId" IS NULL OR m."userId" IS NOT NULL)`;

const dto = (r) => ({
  id: r.id,
  email: r.email,
  status: r.status === "REVOKED" ? "DECLINED" : r.status,
  created_at: r.createdAt.toISOString(),
  organizationRoleId: r.roleId,
  expires_at: r.expiresAt.toISOString(),
  last_sent_at: r.lastSentAt.toISOString(),
  email_status: r.emailStatus,
});

function send(res, status, body) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "x-request-id": randomUUID() });
  res.end(JSON.stringify(body));
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, "http://bare");
    if (req.method !== "GET" || url.pathname !== "/v1/organization/invitations") return send(res, 404, { success: false });
    const limitParam = url.searchParams.get("limit");
    const cursorParam = url.searchParams.get("cursor");
    const paged = limitParam !== null || cursorParam !== null;
    const limit = limitParam === null ? 100 : Number(limitParam);
    const after = cursorParam === null ? null : decodeCursor(cursorParam);
    if (paged && (!(Number.isInteger(limit) && limit >= 1 && limit <= 500) || (cursorParam !== null && !after))) {
      return send(res, 400, { success: false, error: "bad limit or cursor" });
    }
    let organizationId = ORG_ID;
    if (WITH_AUTH) {
      const key = req.headers["confident_api_key"];
      const { rows } = key ? await pool.query(AUTH, [createHash("sha256").update(String(key)).digest("hex")]) : { rows: [] };
      if (!rows[0]) return send(res, 401, { success: false, error: "Missing or invalid API key" });
      organizationId = rows[0].organizationId;
    }
    if (!paged) {
      const { rows } = await pool.query(LIST, [organizationId]);
      return send(res, 200, { success: true, data: { invitations: rows.map(dto) }, deprecated: false });
    }
    const { rows } = after
      ? await pool.query(PAGE, [organizationId, limit + 1, ...after])
      : await pool.query(FIRST_PAGE, [organizationId, limit + 1]);
    const invitations = rows.slice(0, limit).map(dto);
    const nextCursor = rows.length > limit ? cursorOf(invitations[limit - 1]) : null;
    send(res, 200, { success: true, data: { invitations, nextCursor }, deprecated: false });
  } catch (error) {
    send(res, 500, { success: false, error: String(error) });
  }
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
process.on("SIGTERM", () => {
  server.close(() => void pool.end().then(() => process.exit(0)));
  server.closeAllConnections();
});
