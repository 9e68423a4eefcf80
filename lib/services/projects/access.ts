// Who may do what in a project. An actor holding the organization's `project:manage` permission
// (Owner, Admin, operator keys) administers every project of the org as its Owner would; anyone
// else only the projects they are a member of, with their project role's permissions. A project
// of another organization, or one the actor cannot see, is "not found" (never 403).
import "server-only";
import { getPrisma } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { actingUserId, type Actor, type Authority, type ServiceContext } from "../context";
import { authorityOf, PROJECT_OWNER_AUTHORITY, type ProjectPrincipal } from "../permissions";

type Db = Prisma.TransactionClient;

export interface ProjectRef {
  id: string;
  organizationId: string;
  name: string;
}

export const projectNotFound = (projectId: string) => notFound(`Project ${projectId} not found`);

/** A member's project role and the project permissions it grants, in one query; nothing for a non-member. */
export async function projectMemberAuthority(db: Db, projectId: string, userId: string): Promise<Authority> {
  const rows = await db.$queryRaw<{ roleId: string; name: string | null }[]>`
    SELECT pm."roleId"::text AS "roleId", p.name
      FROM "ProjectMembership" pm
      LEFT JOIN "RolePolicy" rp ON rp."roleId" = pm."roleId"
      LEFT JOIN "PolicyPermission" pp ON pp."policyId" = rp."policyId"
      LEFT JOIN "Permission" p ON p.id = pp."permissionId" AND p.scope = 'PROJECT'
     WHERE pm."projectId" = ${projectId} AND pm."userId" = ${userId}`;
  if (rows.length === 0) return { roleId: null, permissions: new Set() };
  return { roleId: rows[0]!.roleId, permissions: new Set(rows.flatMap((r) => (r.name ? [r.name] : []))) };
}

/** Whether the actor administers every project of its organization. */
export async function administersAllProjects(actor: Actor, db: Db = getPrisma()): Promise<boolean> {
  return (await authorityOf(actor, db)).permissions.has("project:manage");
}

/**
 * The project (of the actor's organization) and the actor as a principal inside it, or 404:
 * unknown, another organization's, or one the actor is not a member of.
 */
export async function projectPrincipalOrThrow(
  db: Db,
  actor: Actor,
  projectId: string,
): Promise<{ project: ProjectRef; principal: ProjectPrincipal }> {
  const project = await db.project.findFirst({
    where: { id: projectId, organizationId: actor.organizationId },
    select: { id: true, organizationId: true, name: true },
  });
  if (!project) throw projectNotFound(projectId);
  let authority: Authority;
  if (await administersAllProjects(actor, db)) {
    authority = PROJECT_OWNER_AUTHORITY;
  } else {
    const userId = actingUserId(actor);
    authority = userId ? await projectMemberAuthority(db, project.id, userId) : { roleId: null, permissions: new Set() };
    if (authority.roleId === null) throw projectNotFound(projectId);
  }
  const principal: ProjectPrincipal = {
    type: "project",
    actor,
    organizationId: actor.organizationId,
    projectId: project.id,
    authority,
  };
  return { project, principal };
}

/**
 * What the actor may do in the project (for pages deciding what to show; each service still
 * checks): 404 like every project read when the project is not the actor's to see.
 */
export async function projectAuthority(ctx: ServiceContext, projectId: string): Promise<Authority> {
  return (await projectPrincipalOrThrow(getPrisma(), ctx.actor, projectId)).principal.authority;
}
