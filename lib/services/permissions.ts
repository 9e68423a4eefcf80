// The single permission check of the service layer. An organization API key acts with
// Owner-level rights (every permission); a user holds what their role's policies grant.
import { getPrisma } from "@/lib/db";
import { forbidden } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "./context";

const RESOURCES = [
  "organization",
  "user",
  "apiKey",
  "iam",
  "billing",
  "project",
  "featureAccess",
  "sso",
  "modelCredential",
  "modelCost",
  "metric",
  "retentionConfig",
] as const;

/** The catalogue, as seeded by the `permission_catalogue` migration. */
export const PERMISSIONS = [
  ...RESOURCES.flatMap((r) => [`${r}:read`, `${r}:manage`]),
  "user:delete",
  "project:create",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

type Db = Prisma.TransactionClient;

/** Every permission the actor holds in its organization. */
export async function permissionsOf(actor: Actor, db: Db = getPrisma()): Promise<Set<string>> {
  if (actor.type === "apiKey") return new Set(PERMISSIONS);
  const rows = await db.$queryRaw<{ name: string }[]>`
    SELECT DISTINCT p.name
      FROM "Membership" m
      JOIN "RolePolicy" rp ON rp."roleId" = m."roleId"
      JOIN "PolicyPermission" pp ON pp."policyId" = rp."policyId"
      JOIN "Permission" p ON p.id = pp."permissionId"
     WHERE m."organizationId" = ${actor.organizationId} AND m."userId" = ${actor.userId}`;
  return new Set(rows.map((r) => r.name));
}

export async function can(actor: Actor, permission: Permission, db?: Db): Promise<boolean> {
  if (actor.type === "apiKey") return true;
  return (await permissionsOf(actor, db)).has(permission);
}

export async function assertCan(actor: Actor, permission: Permission, db?: Db): Promise<void> {
  if (!(await can(actor, permission, db))) {
    throw forbidden(`You do not have the ${permission} permission in this organization`);
  }
}

/**
 * A user may only hand out permissions they hold themselves, whether by giving someone a role or
 * by defining a role or policy; otherwise anyone with iam:manage could grant themselves the rest.
 * An API key holds every permission.
 */
export async function assertHoldsAll(actor: Actor, names: Iterable<string>, what: string, db?: Db): Promise<void> {
  const held = await permissionsOf(actor, db);
  const missing = [...new Set(names)].filter((name) => !held.has(name)).sort();
  if (missing.length > 0) {
    throw forbidden(`You cannot grant ${what} with permissions you do not hold (${missing.join(", ")})`);
  }
}

/** A user may only give someone a role whose permissions they hold. */
export async function assertCanGrantRole(tx: Db, actor: Actor, roleId: string): Promise<void> {
  const granted = await tx.$queryRaw<{ name: string }[]>`
    SELECT DISTINCT p.name FROM "RolePolicy" rp
      JOIN "PolicyPermission" pp ON pp."policyId" = rp."policyId"
      JOIN "Permission" p ON p.id = pp."permissionId"
     WHERE rp."roleId" = ${roleId}::uuid`;
  await assertHoldsAll(actor, granted.map((g) => g.name), "a role", tx);
}
