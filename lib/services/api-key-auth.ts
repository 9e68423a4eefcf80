// Authenticates an organization API key and counts the request against its rate limit in one
// database round trip. The counter lives in PostgreSQL, so it holds across app instances.
import { hashApiKey } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { log } from "@/lib/log";

export interface KeyAuthResult {
  apiKeyId: number;
  organizationId: string;
  rate: { limit: number; remaining: number; resetSeconds: number; exceeded: boolean };
}

interface Row {
  id: number;
  organizationId: string;
  lastUsedAt: Date | null;
  count: number;
  reset: number;
}

const LAST_USED_INTERVAL_MS = 60_000;
const lastUsedWritten = new Map<number, number>();
const background = new Set<Promise<unknown>>();

/** Runs a write after the response, keeping track of it so tests and shutdown can wait. */
function inBackground(work: () => Promise<unknown>) {
  const promise = work()
    .catch((error: Error) => log.warn("Background write failed", { error: error.message }))
    .finally(() => background.delete(promise));
  background.add(promise);
}

export async function settleBackgroundWrites() {
  await Promise.all([...background]);
}

export async function authenticateApiKey(rawKey: string, limitPerMinute: number): Promise<KeyAuthResult | null> {
  const prisma = getPrisma();
  // The window is the database's current minute, so every instance agrees on it.
  const rows = await prisma.$queryRaw<Row[]>`
    WITH k AS (
      SELECT id, "organizationId", "lastUsedAt" FROM "ApiKey"
       WHERE "keyHash" = ${hashApiKey(rawKey)} AND valid
    ), hit AS (
      INSERT INTO "RateLimitBucket" (key, "windowStart", count)
      SELECT 'apiKey:' || k.id, date_trunc('minute', now() AT TIME ZONE 'UTC'), 1 FROM k
      ON CONFLICT (key, "windowStart") DO UPDATE SET count = "RateLimitBucket".count + 1
      RETURNING count
    )
    SELECT k.id, k."organizationId", k."lastUsedAt", hit.count,
           (60 - floor(extract(epoch FROM now()))::int % 60) AS reset
      FROM k CROSS JOIN hit`;
  const row = rows[0];
  if (!row) return null;

  const now = Date.now();
  const stale = !row.lastUsedAt || now - row.lastUsedAt.getTime() >= LAST_USED_INTERVAL_MS;
  if (stale && now - (lastUsedWritten.get(row.id) ?? 0) >= LAST_USED_INTERVAL_MS) {
    lastUsedWritten.set(row.id, now);
    inBackground(() =>
      prisma.$executeRaw`
        UPDATE "ApiKey" SET "lastUsedAt" = now()
         WHERE id = ${row.id} AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - interval '1 minute')`,
    );
  }
  // Old windows are useless; sweep them now and then rather than on every request.
  if (Math.random() < 0.01) {
    inBackground(() => prisma.$executeRaw`DELETE FROM "RateLimitBucket" WHERE "windowStart" < (now() AT TIME ZONE 'UTC') - interval '10 minutes'`);
  }

  const count = Number(row.count);
  return {
    apiKeyId: row.id,
    organizationId: row.organizationId,
    rate: {
      limit: limitPerMinute,
      remaining: Math.max(0, limitPerMinute - count),
      resetSeconds: Number(row.reset),
      exceeded: count > limitPerMinute,
    },
  };
}
