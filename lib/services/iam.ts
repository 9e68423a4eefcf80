// What the roles and policies services share, for both scopes they serve: the organization and
// each of its projects. A scope is a parameter (IamScope), resolved once per request into an
// IamTarget that says who the checks are about, which rows are visible, what a new row is owned
// by and how audit actions and messages are named; the services never branch on it otherwise.
import "server-only";
import { getPrisma } from "@/lib/db";
import { PROJECT_POLICIES, PROJECT_ROLES, SYSTEM_POLICIES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { conflict } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { PermissionDto } from "@/lib/validation/roles";
import { auditRow, type AuditAction } from "./audit";
import type { Actor, ServiceContext } from "./context";
import { orgTransaction } from "./organization-lock";
import { assertCan, type Subject } from "./permissions";
import { projectPrincipalOrThrow } from "./projects/access";
import { ORGANIZATION_SCOPE, type Scope } from "./scope";

type Tx = Prisma.TransactionClient;

export { ORGANIZATION_SCOPE, projectScope, type OrganizationScope, type ProjectScope } from "./scope";
export type IamScope = Scope;

type DbScope = "ORGANIZATION" | "PROJECT";

/** A scope resolved for one actor. */
export interface IamTarget {
  kind: IamScope["kind"];
  organizationId: string;
  /** null for the organization. */
  projectId: string | null;
  /** Who the permission checks and the grant ceiling are about: the actor, or its project principal. */
  subject: Subject;
  /** Which catalogue its policies draw from, and the scope column of its roles and policies. */
  dbScope: DbScope;
  /** Where clause for the roles or policies it sees: the scope's system rows and its own. */
  visible: { scope: DbScope; OR: ({ organizationId: string | null } | { projectId: string | null })[] };
  /** The owner columns of a new custom role or policy. */
  owner: { scope: DbScope; organizationId: string | null; projectId: string | null };
}


/**
 * Where clause for the organization-scope roles or policies this org can see: the system ones
 * (organizationId null) and its own. Project roles and policies (scope PROJECT) never match.
 */
export const systemOrOwn = (organizationId: string) => ({
  scope: "ORGANIZATION" as const,
  OR: [{ organizationId: null }, { organizationId }],
});

/** The same for one project: the system project roles or policies (no owner) and the project's own. */
export const systemOrProjectOwn = (projectId: string) => ({
  scope: "PROJECT" as const,
  OR: [{ projectId: null }, { projectId }],
});

/** The scope for this actor; a project it cannot see is a 404 (never a 403). */
export async function resolveIamTarget(db: Tx, actor: Actor, scope: IamScope): Promise<IamTarget> {
  const organizationId = actor.organizationId;
  if (scope.kind === "organization") {
    return {
      kind: "organization",
      organizationId,
      projectId: null,
      subject: actor,
      dbScope: "ORGANIZATION",
      visible: systemOrOwn(organizationId),
      owner: { scope: "ORGANIZATION", organizationId, projectId: null },
    };
  }
  const { project, principal } = await projectPrincipalOrThrow(db, actor, scope.projectId);
  return {
    kind: "project",
    organizationId,
    projectId: project.id,
    subject: principal,
    dbScope: "PROJECT",
    visible: systemOrProjectOwn(project.id),
    // Project rows belong to the project alone; the project belongs to the organization.
    owner: { scope: "PROJECT", organizationId: null, projectId: project.id },
  };
}

/** A read of a scope's roles, policies or catalogue: the target, once the subject may read IAM. */
export async function readableIam(ctx: ServiceContext, scope: IamScope): Promise<IamTarget> {
  const target = await resolveIamTarget(getPrisma(), ctx.actor, scope);
  await assertCan(target.subject, "iam:read");
  return target;
}

/** Both scopes' system rows have neither owner. */
export const isSystemRow = (row: { organizationId: string | null; projectId: string | null }) =>
  row.organizationId === null && row.projectId === null;

const SYSTEM_ORDER: string[] = [
  ...Object.values(SYSTEM_ROLES),
  ...Object.values(PROJECT_ROLES),
  ...Object.values(SYSTEM_POLICIES),
  ...Object.values(PROJECT_POLICIES),
];

/**
 * Case-insensitive, then exact: sorted in code rather than by the database so that PGlite (C
 * collation) and a PostgreSQL server (usually a locale collation) answer in the same order.
 */
export function byName(a: { name: string }, b: { name: string }): number {
  const [x, y] = [a.name.toLowerCase(), b.name.toLowerCase()];
  if (x !== y) return x < y ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The system rows in their fixed order (Owner first), then the scope's own by name. */
export function systemFirst<
  T extends { id: string; name: string; organizationId: string | null; projectId: string | null },
>(rows: T[]): T[] {
  const system = rows.filter(isSystemRow).sort((a, b) => SYSTEM_ORDER.indexOf(a.id) - SYSTEM_ORDER.indexOf(b.id));
  return [...system, ...rows.filter((r) => !isSystemRow(r)).sort(byName)];
}

/** GET …/permissions: the scope's fixed catalogue, by name. */
export async function listPermissions(
  ctx: ServiceContext,
  scope: IamScope = ORGANIZATION_SCOPE,
): Promise<PermissionDto[]> {
  const target = await readableIam(ctx, scope);
  const rows = await getPrisma().permission.findMany({
    where: { scope: target.dbScope },
    select: { id: true, name: true, description: true },
  });
  return rows.sort(byName);
}

/**
 * One role or policy write: a transaction that first locks the organization row, then resolves
 * the scope (a project's principal is read under the lock) and checks iam:manage. Invitations
 * and member role changes, of the org and of its projects, take the same lock first, so a name
 * check cannot race a concurrent create, and "is this role still in use" cannot race an
 * invitation or a role change. The unique indexes on (organizationId, name) and (projectId, name)
 * stay the backstop; `nameTaken` is the 409 their violation becomes (null for deletes).
 */
export async function iamWrite<T>(
  ctx: ServiceContext,
  nameTaken: string | null,
  work: (tx: Tx, target: IamTarget) => Promise<T>,
  scope: IamScope = ORGANIZATION_SCOPE,
): Promise<T> {
  try {
    return await orgTransaction(ctx.actor.organizationId, async (tx) => {
      const target = await resolveIamTarget(tx, ctx.actor, scope);
      await assertCan(target.subject, "iam:manage", tx);
      return await work(tx, target);
    });
  } catch (error) {
    if (nameTaken && (error as { code?: unknown }).code === "P2002") throw conflict(nameTaken);
    throw error;
  }
}

export const nameTakenMessage = (kind: "role" | "policy", name: string, where: IamScope["kind"]) =>
  `A ${kind} named "${name}" already exists in this ${where}`;

/**
 * Names are unique per organization, or per project, ignoring case ("Editor" and "editor" would
 * be confusing in a picker), and no custom name may equal a system one of the scope. `exceptId`
 * is the row being renamed, which may keep its name or change its case.
 */
export async function assertNameFree(
  tx: Tx,
  kind: "role" | "policy",
  target: IamTarget,
  name: string,
  exceptId?: string,
) {
  const query = { where: target.visible, select: { id: true, name: true, organizationId: true, projectId: true } };
  const existing = kind === "role" ? await tx.role.findMany(query) : await tx.policy.findMany(query);
  const key = name.toLowerCase();
  const clash = existing.find((row) => row.id !== exceptId && row.name.toLowerCase() === key);
  if (!clash) return;
  throw conflict(
    isSystemRow(clash)
      ? `"${clash.name}" is the name of a system ${kind}; choose another name`
      : nameTakenMessage(kind, clash.name, target.kind),
  );
}

type Verb = "create" | "update" | "delete";

/** org.roles.<verb>, project.policies.<verb>, … */
export const iamAction = (target: IamTarget, area: "roles" | "policies", verb: Verb): AuditAction =>
  `${target.kind === "project" ? "project" : "org"}.${area}.${verb}`;

/** The audit event of a role or policy write, in its transaction, filed under the project when there is one. */
export async function auditIam(
  tx: Tx,
  ctx: ServiceContext,
  target: IamTarget,
  row: { type: "role" | "policy"; id: string },
  verb: Verb,
  details: Prisma.InputJsonValue,
) {
  const area = row.type === "role" ? "roles" : "policies";
  await tx.auditEvent.create({ data: auditRow(ctx, iamAction(target, area, verb), row, details, target.projectId) });
}


export const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
