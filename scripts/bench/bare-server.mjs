// The bare baseline for `npm run bench:list`: node:http + pg, no framework, answering
// GET /v1/organization/invitations with the same envelope and JSON as the app, from the same
// query. WITH_AUTH=1 also runs the app's key-auth + rate-limit statement first (same SQL).
// Env: DATABASE_URL, ORG_ID, WITH_AUTH. Prints `listening <port>`; stops on SIGTERM.
import { createHash, randomUUID } from "node:crypto";
import http from "node:http";
import pg from "pg";

// Timestamps are stored as UTC in timestamp-without-time-zone columns (like Prisma reads them).
pg.types.setTypeParser(1114, (s) => new Date(`${s.replace(" ", "T")}Z`));
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10, options: "-c TimeZone=UTC" });
const ORG_ID = process.env.ORG_ID;
const WITH_AUTH = process.env.WITH_AUTH === "1";

const LIST = `
  SELECT id, "organizationId", email, "roleId", status, "tokenHash", "expiresAt", "lastSentAt", "emailStatus",
         "invitedByUserId", "invitedByApiKeyId", "createdAt", "updatedAt", "respondedAt", "revokedAt"
    FROM "Invitation"
   WHERE "organizationId" = $1 AND status IN ('PENDING', 'DECLINED')
   ORDER BY "createdAt" DESC, id DESC`;
const AUTH = `
  WITH k AS (
    SELECT id, "organizationId", "lastUsedAt" FROM "ApiKey" WHERE "keyHash" = $1 AND valid
  ), hit AS (
    INSERT INTO "RateLimitBucket" (key, "windowStart", count)
    SELECT 'apiKey:' || k.id, date_trunc('minute', now() AT TIME ZONE 'UTC'), 1 FROM k
    ON CONFLICT (key, "windowStart") DO UPDATE SET count = "RateLimitBucket".count + 1
    RETURNING count
  )
  SELECT k.id, k."organizationId", k."lastUsedAt", hit.count, (60 - floor(extract(epoch FROM now()))::int % 60) AS reset
    FROM k CROSS JOIN hit`;

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
    if (req.method !== "GET" || req.url !== "/v1/organization/invitations") return send(res, 404, { success: false });
    let organizationId = ORG_ID;
    if (WITH_AUTH) {
      const key = req.headers["confident_api_key"];
      const { rows } = key ? await pool.query(AUTH, [createHash("sha256").update(String(key)).digest("hex")]) : { rows: [] };
      if (!rows[0]) return send(res, 401, { success: false, error: "Missing or invalid API key" });
      organizationId = rows[0].organizationId;
    }
    const { rows } = await pool.query(LIST, [organizationId]);
    send(res, 200, { success: true, data: { invitations: rows.map(dto) }, deprecated: false });
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
