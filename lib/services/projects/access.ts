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
  const administers = await administersAllProjects(actor, db);
  // The project and, for anyone who does not administer every project, their project role and
  // its permissions: one statement either way.
  const userId = administers ? null : actingUserId(actor);
  const [row] = await db.$queryRaw<(ProjectRef & { roleId: string | null; permissions: string[] | null })[]>`/* prepared */
    SELECT p.id, p."organizationId", p.name, pm."roleId"::text AS "roleId",
           (SELECT array_agg(DISTINCT perm.name) FROM "RolePolicy" rp
              JOIN "PolicyPermission" pp ON pp."policyId" = rp."policyId"
              JOIN "Permission" perm ON perm.id = pp."permissionId" AND perm.scope = 'PROJECT'
             WHERE rp."roleId" = pm."roleId") AS permissions
      FROM "Project" p
      LEFT JOIN "ProjectMembership" pm ON pm."projectId" = p.id AND pm."userId" = ${userId}
     WHERE p.id = ${projectId} AND p."organizationId" = ${actor.organizationId}`;
  if (!row) throw projectNotFound(projectId);
  let authority: Authority;
  if (administers) {
    authority = PROJECT_OWNER_AUTHORITY;
  } else {
    if (row.roleId === null) throw projectNotFound(projectId);
    authority = { roleId: row.roleId, permissions: new Set(row.permissions ?? []) };
  }
  const project: ProjectRef = { id: row.id, organizationId: row.organizationId, name: row.name };
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
