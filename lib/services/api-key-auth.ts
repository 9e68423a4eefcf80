// Authenticates an organization API key and resolves who it acts as in one indexed read, then
// counts the request against its rate limits. A key acts as its creator as they are at this
// moment (their role's permissions; no key once they have left the organization), an operator
// key (no creator) as the Owner — contract §5. The counts are shared through PostgreSQL so they
// hold across app instances — one per key, one per organization (more keys do not buy more
// requests) — but written in batches (request-counter.ts), not once per request.
import "server-only";
import { hashApiKey } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import type { Actor } from "./context";
import { OWNER_AUTHORITY, rolePermissionsSql } from "./permissions";
import { requestCounter } from "./request-counter";

export interface RateLimits {
  perKey: number;
  perOrganization: number;
}

export interface RateState {
  limit: number;
  remaining: number;
  resetSeconds: number;
  exceeded: boolean;
}

export interface KeyAuthResult {
  actor: Extract<Actor, { type: "apiKey" }>;
  /** Set for a project key: management endpoints refuse those (403). */
  projectId: string | null;
  rate: RateState;
}

interface Row {
  id: number;
  organizationId: string;
  projectId: string | null;
  lastUsedAt: Date | null;
  createdByUserId: string | null;
  roleId: string | null;
  permissions: string[] | null;
  orgName: string;
  orgPlan: string;
  orgCreatedAt: Date;
}

const LAST_USED_INTERVAL_MS = 60_000;
/** When this process last wrote each key's lastUsedAt, per database (one in production; tests open many). */
const lastUsedWrittenBy = new WeakMap<object, Map<number, number>>();
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

/** The tighter of the two limits decides what the answer's RateLimit headers say. */
function rateState(counts: { key: number; org: number; resetSeconds: number }, limits: RateLimits): RateState {
  const key = { limit: limits.perKey, used: counts.key };
  const org = { limit: limits.perOrganization, used: counts.org };
  const remainingKey = key.limit - key.used;
  const remainingOrg = org.limit - org.used;
  const binding = remainingOrg < remainingKey ? org : key;
  return {
    limit: binding.limit,
    remaining: Math.max(0, binding.limit - binding.used),
    resetSeconds: counts.resetSeconds,
    exceeded: key.used > key.limit || org.used > org.limit,
  };
}

/**
 * The key's actor and rate state, or null for an unknown or deactivated key, or one whose creator
 * is no longer a member of the organization.
 */
export async function authenticateApiKey(rawKey: string, limits: RateLimits): Promise<KeyAuthResult | null> {
  const prisma = getPrisma();
  // Prepared (lib/db/open.ts PREPARED): every lookup has the same plan, and planning it cost more than running it.
  const rows = await prisma.$queryRaw<Row[]>`/* prepared */
    SELECT k.id, k."organizationId", k."projectId", k."lastUsedAt", k."createdByUserId", m."roleId"::text AS "roleId",
           ${rolePermissionsSql(Prisma.sql`m."roleId"`)} AS permissions,
           o.name AS "orgName", o.plan::text AS "orgPlan", o."createdAt" AS "orgCreatedAt"
      FROM "ApiKey" k
      JOIN "Organization" o ON o.id = k."organizationId"
      LEFT JOIN "Membership" m ON m."organizationId" = k."organizationId" AND m."userId" = k."createdByUserId"
     WHERE k."keyHash" = ${hashApiKey(rawKey)} AND k.valid
       AND (k."createdByUserId" IS NULL OR m."userId" IS NOT NULL)`;
  const row = rows[0];
  if (!row) return null;

  const now = Date.now();
  let lastUsedWritten = lastUsedWrittenBy.get(prisma);
  if (!lastUsedWritten) lastUsedWrittenBy.set(prisma, (lastUsedWritten = new Map()));
  const stale = !row.lastUsedAt || now - row.lastUsedAt.getTime() >= LAST_USED_INTERVAL_MS;
  if (stale && now - (lastUsedWritten.get(row.id) ?? 0) >= LAST_USED_INTERVAL_MS) {
    lastUsedWritten.set(row.id, now);
    inBackground(() =>
      prisma.$executeRaw`
        UPDATE "ApiKey" SET "lastUsedAt" = now()
         WHERE id = ${row.id} AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - interval '1 minute')`,
    );
  }
  const counted = await requestCounter().hit([
    { key: `apiKey:${row.id}`, max: limits.perKey },
    { key: `org:${row.organizationId}`, max: limits.perOrganization },
  ]);

  const authority =
    row.createdByUserId === null
      ? OWNER_AUTHORITY
      : { roleId: row.roleId, permissions: new Set(row.permissions ?? []) };
  return {
    actor: {
      type: "apiKey",
      apiKeyId: row.id,
      organizationId: row.organizationId,
      creatorUserId: row.createdByUserId,
      authority,
      organization: { id: row.organizationId, name: row.orgName, plan: row.orgPlan, createdAt: row.orgCreatedAt },
    },
    projectId: row.projectId,
    rate: rateState({ key: counted.totals[0]!, org: counted.totals[1]!, resetSeconds: counted.resetSeconds }, limits),
  };
}
