// The permission gate of the service layer, the only one: server actions and API routes call
// services, and services call these. A user holds what their role's policies grant; an API key
// holds what its creator holds at the moment of the request (never more), an operator key what
// the Owner holds (contract §5).
//
// `npm run check:authz` disables every call of the assert* functions below in lib/services, one
// at a time, and expects the authorization tests to fail each time.
import "server-only";
import { getPrisma } from "@/lib/db";
import { OWNER_ROLE_IDS, PROJECT_ROLES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { forbidden, type AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Actor, Authority } from "./context";

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

const PROJECT_RESOURCES = [
  "dataset", "golden", "metric", "metricCollection", "evaluationRule", "trace", "span", "thread", "endUser",
  "testRun", "testCase", "experiment", "prompt", "promptVersion", "promptLabel", "annotationQueue", "project",
  "apiKey", "modelCredential", "modelCost", "evaluationModel", "retentionConfig", "iam", "transformer",
  "aiConnection", "alertConfig", "integration", "user",
] as const;

/** The project catalogue, as seeded by the `projects` migration. */
export const PROJECT_PERMISSIONS = [
  ...PROJECT_RESOURCES.flatMap((r) => [`${r}:read`, `${r}:manage`] as const),
  "project:delete",
  "user:delete",
  "trace:evaluate",
] as const;

export type Permission = (typeof PERMISSIONS)[number];
export type ProjectPermission = (typeof PROJECT_PERMISSIONS)[number];

/**
 * An actor inside one project of its organization: what it may do there, resolved once per
 * request by lib/services/projects/access.ts (an org `project:manage` holder acts as the
 * project's Owner; anyone else with their project role, if any).
 */
export interface ProjectPrincipal {
  type: "project";
  actor: Actor;
  organizationId: string;
  projectId: string;
  authority: Authority;
}

/** Who a check is about: an actor in its organization, or in one of its projects. */
export type Subject = Actor | ProjectPrincipal;

type Db = Prisma.TransactionClient;

/** An operator key (no creator) acts as the Owner. */
export const OWNER_AUTHORITY: Authority = { roleId: SYSTEM_ROLES.Owner, permissions: new Set(PERMISSIONS) };

/** What an org `project:manage` holder may do in any project of the org: everything the Owner may. */
export const PROJECT_OWNER_AUTHORITY: Authority = { roleId: PROJECT_ROLES.Owner, permissions: new Set(PROJECT_PERMISSIONS) };

const NO_AUTHORITY: Authority = { roleId: null, permissions: new Set() };

/** A member's role and the permissions it grants, in one query; nothing for a non-member. */
export async function memberAuthority(db: Db, organizationId: string, userId: string): Promise<Authority> {
  const rows = await db.$queryRaw<{ roleId: string; name: string | null }[]>`
    SELECT m."roleId"::text AS "roleId", p.name
      FROM "Membership" m
      LEFT JOIN "RolePolicy" rp ON rp."roleId" = m."roleId"
      LEFT JOIN "PolicyPermission" pp ON pp."policyId" = rp."policyId"
      LEFT JOIN "Permission" p ON p.id = pp."permissionId"
     WHERE m."organizationId" = ${organizationId} AND m."userId" = ${userId}`;
  if (rows.length === 0) return NO_AUTHORITY;
  return { roleId: rows[0]!.roleId, permissions: new Set(rows.flatMap((r) => (r.name ? [r.name] : []))) };
}

/**
 * What the actor may do right now. The one resolution used by every authenticated request: a
 * user's membership, a key's creator's membership (read with the key while authenticating, or
 * here), the Owner for an operator key.
 */
export async function authorityOf(actor: Subject, db: Db = getPrisma()): Promise<Authority> {
  if (actor.type === "project") return actor.authority;
  if (actor.type === "apiKey") {
    if (actor.authority) return actor.authority;
    if (actor.creatorUserId === null) return OWNER_AUTHORITY;
    return memberAuthority(db, actor.organizationId, actor.creatorUserId);
  }
  return memberAuthority(db, actor.organizationId, actor.userId);
}

/** Every permission the actor holds in its organization. */
export async function permissionsOf(actor: Subject, db?: Db): Promise<ReadonlySet<string>> {
  return (await authorityOf(actor, db)).permissions;
}

type PermissionOf<S extends Subject> = S extends ProjectPrincipal ? ProjectPermission : Permission;

export async function can<S extends Subject>(actor: S, permission: PermissionOf<S>, db?: Db): Promise<boolean> {
  return (await permissionsOf(actor, db)).has(permission);
}

export async function assertCan<S extends Subject>(actor: S, permission: PermissionOf<S>, db?: Db): Promise<void> {
  if (!(await can(actor, permission, db))) {
    const where = actor.type === "project" ? "project role" : "role";
    throw forbidden(`Your ${where} does not allow this action (it needs the ${permission} permission)`);
  }
}

/**
 * The grant ceiling: nobody hands out permissions they do not hold, whether by giving someone a
 * role or by defining a role or policy; otherwise anyone with iam:manage could grant themselves
 * the rest.
 */
export async function assertHoldsAll(actor: Subject, names: Iterable<string>, refusal: string, db?: Db): Promise<void> {
  const missing = missingFrom(await permissionsOf(actor, db), names);
  if (missing.length > 0) throw forbidden(`${refusal} (${missing.join(", ")})`);
}

/** The ceiling's one comparison: which of `names` are not among `held`, sorted. */
export function missingFrom(held: ReadonlySet<string>, names: Iterable<string>): string[] {
  return [...new Set(names)].filter((name) => !held.has(name)).sort();
}

/**
 * Whether an authority may give a role of the scope, as the services decide it: every permission
 * of the role held (assertCanGrantRole), and the scope's Owner role only by its Owner (ownership
 * moves only through assertActsAsOwner).
 */
export function mayGrantRole(
  authority: Authority,
  role: { id: string; permissions: Iterable<string> },
  scope: "organization" | "project",
): boolean {
  const owner = scope === "project" ? PROJECT_ROLES.Owner : SYSTEM_ROLES.Owner;
  if (role.id === owner) return authority.roleId === owner;
  return missingFrom(authority.permissions, role.permissions).length === 0;
}

/**
 * A subquery: the permission names a role's policies grant, as text[] (empty for none), the role
 * id given as SQL — for statements that read a role's grants along with other facts.
 */
export function rolePermissionsSql(roleId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`coalesce((
    SELECT array_agg(DISTINCT p.name) FROM "RolePolicy" rp
      JOIN "PolicyPermission" pp ON pp."policyId" = rp."policyId"
      JOIN "Permission" p ON p.id = pp."permissionId"
     WHERE rp."roleId" = ${roleId}), ARRAY[]::text[])`;
}

async function permissionsOfRole(db: Db, roleId: string): Promise<string[]> {
  const [row] = await db.$queryRaw<{ names: string[] }[]>`SELECT ${rolePermissionsSql(Prisma.sql`${roleId}::uuid`)} AS names`;
  return row?.names ?? [];
}

/** To give a role (invitation, role change), the actor must hold every permission of it. */
export async function assertCanGrantRole(tx: Db, actor: Subject, roleId: string): Promise<void> {
  const names = await permissionsOfRole(tx, roleId);
  await assertHoldsAll(actor, names, "You cannot grant a role with permissions you do not hold", tx);
}

/**
 * To change or remove someone, the actor must also hold every permission of the role that person
 * has now: a weaker role cannot demote or remove a stronger one.
 */
export async function assertCanActOnRole(tx: Db, actor: Subject, currentRoleId: string, refusal: string): Promise<void> {
  await assertHoldsAll(actor, await permissionsOfRole(tx, currentRoleId), refusal, tx);
}

/**
 * Only the Owner (a user, or a key made by the Owner, or an operator key) may hand over
 * ownership; in a project, its Owner or an org `project:manage` holder.
 */
export async function assertActsAsOwner(tx: Db, actor: Subject, message: string): Promise<void> {
  const owner = actor.type === "project" ? PROJECT_ROLES.Owner : SYSTEM_ROLES.Owner;
  if ((await authorityOf(actor, tx)).roleId !== owner) throw forbidden(message);
}

/** The Owner (of the org or of a project) is out of reach of some changes until ownership moves. */
export function assertNotOwner(roleId: string, refusal: () => AppError): void {
  if (OWNER_ROLE_IDS.includes(roleId)) throw refusal();
}
