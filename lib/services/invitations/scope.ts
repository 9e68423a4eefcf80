// What an invitation is to: the organization, or one of its projects. The engine's other files
// take a resolved scope and never branch on the kind themselves beyond what is here: where the
// roles come from, the default and the Owner role, who the checks are about, how audit actions
// and the role field are named.
import "server-only";
import { PROJECT_ROLES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { Prisma } from "@/lib/generated/prisma/client";
import type { AuditAction } from "@/lib/services/audit";
import type { Actor } from "@/lib/services/context";
import { systemOrOwn, systemOrProjectOwn } from "@/lib/services/iam";
import type { Scope } from "@/lib/services/scope";
import type { Subject } from "@/lib/services/permissions";
import { projectPrincipalOrThrow } from "@/lib/services/projects/access";

type Db = Prisma.TransactionClient;

export type InvitationScope = Scope;
export { ORGANIZATION_SCOPE, projectScope } from "@/lib/services/scope";

export interface ResolvedScope {
  kind: InvitationScope["kind"];
  organizationId: string;
  /** null for the organization. */
  projectId: string | null;
  projectName: string | null;
  /** Who the permission checks and the grant ceiling are about. */
  subject: Subject;
  defaultRoleId: string;
  ownerRoleId: string;
  /** The roles an invitation of this scope may give: the scope's system roles and its own. */
  roles: Prisma.RoleWhereInput;
}

/** Resolves the scope for the actor; a project the actor cannot see is a 404. */
export async function resolveScope(db: Db, actor: Actor, scope: InvitationScope): Promise<ResolvedScope> {
  if (scope.kind === "organization") {
    return {
      kind: "organization",
      organizationId: actor.organizationId,
      projectId: null,
      projectName: null,
      subject: actor,
      defaultRoleId: SYSTEM_ROLES.Member,
      ownerRoleId: SYSTEM_ROLES.Owner,
      roles: systemOrOwn(actor.organizationId),
    };
  }
  const { project, principal } = await projectPrincipalOrThrow(db, actor, scope.projectId);
  // The same rows the project IAM engine shows: the system project roles and this project's own.
  return {
    kind: "project",
    organizationId: actor.organizationId,
    projectId: project.id,
    projectName: project.name,
    subject: principal,
    defaultRoleId: PROJECT_ROLES.Member,
    ownerRoleId: PROJECT_ROLES.Owner,
    roles: systemOrProjectOwn(project.id),
  };
}

/**
 * The predicate "this invitation (alias i) belongs to the scope", spelled so the planner can use the
 * per-scope partial indexes ("projectId" IS NULL, or = the project; IS NOT DISTINCT FROM cannot).
 */
export function inScopeSql(target: { projectId: string | null }, alias = "i"): Prisma.Sql {
  const column = Prisma.raw(`${alias}."projectId"`);
  return target.projectId ? Prisma.sql`${column} = ${target.projectId}` : Prisma.sql`${column} IS NULL`;
}

type Verb = "create" | "resend" | "revoke" | "accept" | "decline";

/** org.invitations.<verb> or project.invitations.<verb>. */
export function invitationAction(target: { projectId: string | null }, verb: Verb): AuditAction {
  return `${target.projectId ? "project" : "org"}.invitations.${verb}`;
}

/** The request's role field for this scope (the contract names it per scope). */
export function requestedRoleId(
  target: { projectId: string | null },
  input: { organizationRoleId?: string; projectRoleId?: string },
): string | undefined {
  return target.projectId ? input.projectRoleId : input.organizationRoleId;
}
