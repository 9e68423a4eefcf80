// Fixed-window counters in PostgreSQL (the RateLimitBucket table), shared by every app
// instance: sign-in attempts, emails sent on request, invitations per day, and the API's
// per-key and per-organization request limits (lib/services/api-key-auth.ts counts those in its
// own statement). One statement counts a hit against any number of limits at once.
import "server-only";
import { getPrisma } from "@/lib/db";
import { rateLimited } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";

type Db = Prisma.TransactionClient;

export interface Limit {
  /** What is counted, e.g. `signin:account:ada@example.com`. */
  key: string;
  /** How many hits a window allows. */
  max: number;
  windowSeconds: number;
  /** How to say no to a person, given the seconds until the window resets and what is left in it. */
  refusal: (retryAfterSeconds: number, remaining: number) => string;
}

export interface Exceeded {
  limit: Limit;
  retryAfterSeconds: number;
  /** What the window still allows (the refused hits not counted). */
  remaining: number;
}

interface Row {
  key: string;
  count: number;
  reset: number;
}

/** The start of the current window of `seconds` (aligned to the epoch), as stored in "windowStart". */
export function windowStartSql(seconds: number): Prisma.Sql {
  return Prisma.sql`(to_timestamp(floor(extract(epoch FROM now()) / ${seconds}::int) * ${seconds}::int) AT TIME ZONE 'UTC')`;
}

/**
 * Reads, without counting, how much of a limit's current window is used and when it resets:
 * a subquery for a statement that reads other things too (the guarded invitation writes).
 */
export function windowUsageSql(key: string, seconds: number): Prisma.Sql {
  return Prisma.sql`json_build_object(
    'used', coalesce((SELECT b.count FROM "RateLimitBucket" b WHERE b.key = ${key} AND b."windowStart" = ${windowStartSql(seconds)}), 0),
    'reset', ceil(extract(epoch FROM ${windowStartSql(seconds)} + make_interval(secs => ${seconds}::int) - (now() AT TIME ZONE 'UTC'))))`;
}

/** The CTE that counts `weight` hits against a limit's current window, when `guard` answered a row. */
export function countHitsCte(name: string, limit: Limit, weight: number): Prisma.Sql {
  const start = windowStartSql(limit.windowSeconds);
  return Prisma.sql`${Prisma.raw(name)} AS (
    INSERT INTO "RateLimitBucket" (key, "windowStart", count, "expiresAt")
    SELECT ${limit.key}, ${start}, ${weight}::int, ${start} + make_interval(secs => ${limit.windowSeconds}::int)
      FROM guard WHERE ${weight}::int > 0
    ON CONFLICT (key, "windowStart") DO UPDATE SET count = "RateLimitBucket".count + EXCLUDED.count
    RETURNING 1)`;
}

/** Whether `weight` more hits on top of `used` exceed the limit, and the refusal's facts if so. */
export function exceededBy(limit: Limit, used: number, weight: number, resetSeconds: number): Exceeded | null {
  if (used + weight <= limit.max) return null;
  return { limit, retryAfterSeconds: Math.max(1, resetSeconds), remaining: Math.max(0, limit.max - used) };
}

/**
 * Counts `weight` hits against every limit (windows aligned to the epoch, so every instance
 * agrees on them) and answers the first limit now exceeded, or null. The hit is counted even
 * when refused: retrying while refused does not help.
 */
export async function countHits(limits: Limit[], weight = 1, db: Db = getPrisma()): Promise<Exceeded | null> {
  if (limits.length === 0) return null;
  const rows = await db.$queryRaw<Row[]>`
    WITH input AS (
      SELECT key, w, to_timestamp(floor(extract(epoch FROM now()) / w) * w) AT TIME ZONE 'UTC' AS start
        FROM unnest(${limits.map((l) => l.key)}::text[], ${limits.map((l) => l.windowSeconds)}::int[]) AS t(key, w)
    )
    INSERT INTO "RateLimitBucket" (key, "windowStart", count, "expiresAt")
    SELECT key, start, ${weight}::int, start + make_interval(secs => w) FROM input
    ON CONFLICT (key, "windowStart") DO UPDATE SET count = "RateLimitBucket".count + EXCLUDED.count
    RETURNING key, count, ceil(extract(epoch FROM "expiresAt" - (now() AT TIME ZONE 'UTC')))::int AS reset`;
  return firstExceeded(limits, rows, weight);
}

/**
 * The first limit whose current window is already over its maximum, without counting a hit: for
 * telling a person afterwards that a request of theirs was refused.
 */
export async function findExceeded(limits: Limit[], db: Db = getPrisma()): Promise<Exceeded | null> {
  if (limits.length === 0) return null;
  const rows = await db.$queryRaw<Row[]>`
    WITH input AS (
      SELECT key, w, to_timestamp(floor(extract(epoch FROM now()) / w) * w) AT TIME ZONE 'UTC' AS start
        FROM unnest(${limits.map((l) => l.key)}::text[], ${limits.map((l) => l.windowSeconds)}::int[]) AS t(key, w)
    )
    SELECT b.key, b.count, ceil(extract(epoch FROM b."expiresAt" - (now() AT TIME ZONE 'UTC')))::int AS reset
      FROM "RateLimitBucket" b JOIN input ON b.key = input.key AND b."windowStart" = input.start`;
  return firstExceeded(limits, rows, 0);
}

function firstExceeded(limits: Limit[], rows: Row[], weight: number): Exceeded | null {
  const byKey = new Map(rows.map((r) => [r.key, r]));
  for (const limit of limits) {
    const row = byKey.get(limit.key);
    const exceeded = row && exceededBy(limit, Number(row.count) - weight, weight, Number(row.reset));
    if (exceeded) return exceeded;
  }
  return null;
}

/** The refusal as an error: 429 with Retry-After on the API, the same words in the UI. */
export function refusalOf(exceeded: Exceeded) {
  return rateLimited(exceeded.limit.refusal(exceeded.retryAfterSeconds, exceeded.remaining), exceeded.retryAfterSeconds);
}

/** Counts the hits and throws the refusal when a limit is exceeded. */
export async function assertWithinLimits(limits: Limit[], weight = 1, db?: Db): Promise<void> {
  const exceeded = await countHits(limits, weight, db);
  if (exceeded) throw refusalOf(exceeded);
}

/** Expired windows are useless; a caller sweeps them now and then rather than on every hit. */
export async function sweepExpiredWindows(db: Db = getPrisma()): Promise<void> {
  await db.$executeRaw`DELETE FROM "RateLimitBucket" WHERE "expiresAt" < (now() AT TIME ZONE 'UTC')`;
}
