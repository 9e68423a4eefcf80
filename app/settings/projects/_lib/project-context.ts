// Server-only: the preamble of every page of one project. The settings context, the project (a
// project the user cannot see is the normal not-found page: the service answers 404) and what
// the user may do in it, which the pages use only to decide what to show; the services decide
// what is allowed.
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireSettingsContext, type SettingsContext } from "@/app/settings/_lib/context";
import { projectPage } from "@/lib/actions/scope";
import { PROJECT_ROLES } from "@/lib/db/system-roles";
import { AppError } from "@/lib/errors";
import type { Authority, ServiceContext } from "@/lib/services/context";
import { projectScope, readableIam } from "@/lib/services/iam";
import { authorityOf } from "@/lib/services/permissions";
import { listPolicies } from "@/lib/services/policies";
import { getProject } from "@/lib/services/projects/projects";
import { listRoles } from "@/lib/services/roles";
import type { ProjectRoleDto } from "@/lib/validation/project-iam";
import type { ProjectDto } from "@/lib/validation/projects";

export interface ProjectContext extends SettingsContext {
  project: ProjectDto;
  /** The user's authority in the project: their project role, or the Owner's for an org project:manage holder. */
  projectAuthority: Authority;
}

const isCode = (error: unknown, code: AppError["code"]) => error instanceof AppError && error.code === code;

/**
 * The user's authority in the project, as the services resolve it (resolving a scope for a
 * read of its roles). That read needs the project's iam:read, which every system project role
 * holds; a custom role without it is shown the project read-only (the services still decide).
 */
async function projectAuthorityOf(ctx: ServiceContext, projectId: string): Promise<Authority> {
  try {
    return await authorityOf((await readableIam(ctx, projectScope(projectId))).subject);
  } catch (error) {
    if (isCode(error, "forbidden")) return { roleId: null, permissions: new Set(["project:read"]) };
    throw error;
  }
}

/** Shared by a project's layout and page within one request. */
export const requireProjectContext = cache(async (projectId: string): Promise<ProjectContext> => {
  const settings = await requireSettingsContext(projectPage(projectId));
  let project: ProjectDto;
  try {
    project = await getProject(settings.ctx, projectId);
  } catch (error) {
    // A membership whose role cannot read the project does not list it either.
    if (isCode(error, "not_found") || isCode(error, "forbidden")) notFound();
    throw error;
  }
  return { ...settings, project, projectAuthority: await projectAuthorityOf(settings.ctx, projectId) };
});

export interface ProjectRoles {
  /** Every role of the project (for names), system roles first. */
  all: ProjectRoleDto[];
  /** The ones this user may give: permissions within their own; Owner only for those acting as the project's Owner. */
  grantable: ProjectRoleDto[];
}

/**
 * The project's roles and the ones the pickers offer, by the services' rule (assertCanGrantRole,
 * and only the project's Owner hands ownership over); the services still decide. Without the
 * project's iam:read the roles cannot be listed at all.
 */
export async function projectRoles(ctx: ServiceContext, projectId: string, authority: Authority): Promise<ProjectRoles> {
  if (!authority.permissions.has("iam:read")) return { all: [], grantable: [] };
  const scope = projectScope(projectId);
  const [roles, policies] = await Promise.all([listRoles(ctx, scope), listPolicies(ctx, scope)]);
  const permissionsOfPolicy = new Map(policies.map((p) => [p.id, p.permissions.map((x) => x.name)]));
  const grantable = roles.filter((role) =>
    role.id === PROJECT_ROLES.Owner
      ? authority.roleId === PROJECT_ROLES.Owner
      : role.policies.every((p) => (permissionsOfPolicy.get(p.id) ?? []).every((name) => authority.permissions.has(name))),
  );
  return { all: roles, grantable };
}
