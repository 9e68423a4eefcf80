// Organizations, users and keys for tests, written straight to the test database.
import { randomBytes } from "node:crypto";
import { generateApiKey, hashApiKey, lastSix } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { PREPARED } from "@/lib/db/open";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import type { Plan } from "@/lib/generated/prisma/client";

export interface TestOrg {
  id: string;
  name: string;
  key: string;
  apiKeyId: number;
  ownerId: string;
}

export async function createOrg(
  options: { name?: string; plan?: Plan; trialEndsAt?: Date | null; seatLimit?: number | null } = {},
): Promise<TestOrg> {
  const prisma = getPrisma();
  const suffix = randomBytes(4).toString("hex");
  const owner = await prisma.user.create({
    data: { email: `owner-${suffix}@example.test`, name: `Owner ${suffix}`, emailVerified: new Date() },
  });
  const org = await prisma.organization.create({
    data: {
      name: options.name ?? `Org ${suffix}`,
      plan: options.plan ?? "TEAM",
      trialEndsAt: options.trialEndsAt ?? null,
      seatLimit: options.seatLimit ?? null,
      memberships: { create: { userId: owner.id, roleId: SYSTEM_ROLES.Owner } },
    },
  });
  const key = generateApiKey();
  const apiKey = await prisma.apiKey.create({
    data: { organizationId: org.id, name: "test", keyHash: hashApiKey(key), last6: lastSix(key) },
  });
  return { id: org.id, name: org.name, key, apiKeyId: apiKey.id, ownerId: owner.id };
}

export async function addMember(orgId: string, email: string, roleId: string = SYSTEM_ROLES.Member) {
  const prisma = getPrisma();
  // Members have verified addresses (joining takes one); tests of unverified accounts make their own.
  const user = await prisma.user.upsert({ where: { email }, create: { email, emailVerified: new Date() }, update: {} });
  await prisma.membership.create({ data: { organizationId: orgId, userId: user.id, roleId } });
  return user;
}

/**
 * The statements that are not prepared (lib/db/open.ts PREPARED: a statement starting with the
 * marker is parsed once per connection and keeps its plan). The invitation engine's hot
 * statements are all prepared: planning their CTEs cost more than running them.
 */
export const unprepared = (statements: string[]) => statements.filter((s) => !s.startsWith(PREPARED));

/**
 * Round trips on the request path (BEGIN and COMMIT included): the debounced lastUsed write, the
 * bucket sweep and the batched request-count flush run beside requests, not on their path.
 */
export const onRequestPath = (statements: string[]) =>
  statements.filter((s) => !/UPDATE "ApiKey" SET "lastUsedAt"|DELETE FROM "RateLimitBucket"|^\s*INSERT INTO "RateLimitBucket"/.test(s));

/**
 * Counts Prisma statements issued while `work` runs: `statements` without transaction control,
 * `all` with it (BEGIN and COMMIT are round trips too).
 */
export async function countStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[]; all: string[] }> {
  const prisma = getPrisma() as unknown as { $on(event: "query", cb: (e: { query: string }) => void): void };
  const statements: string[] = [];
  const all: string[] = [];
  let active = true;
  prisma.$on("query", (e) => {
    if (!active) return;
    all.push(e.query);
    if (!/^\s*(BEGIN|COMMIT|ROLLBACK)|Implicit "(COMMIT|ROLLBACK)"/i.test(e.query)) statements.push(e.query);
  });
  try {
    return { result: await work(), statements, all };
  } finally {
    active = false;
  }
}
