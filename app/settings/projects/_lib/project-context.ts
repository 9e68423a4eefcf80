// Server-only: the preamble of every page of one project. The settings context, the project (a
// project the user cannot see is the normal not-found page: the service answers 404) and what
// the user may do in it (their project role, or the Owner's for an org project:manage holder),
// which the pages use only to decide what to show; the services decide what is allowed.
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireSettingsContext, type SettingsContext } from "@/app/settings/_lib/context";
import { projectPage } from "@/lib/actions/scope";
import { AppError } from "@/lib/errors";
import type { Authority, ServiceContext } from "@/lib/services/context";
import { projectScope } from "@/lib/services/iam";
import { projectAuthority } from "@/lib/services/projects/access";
import { getProject } from "@/lib/services/projects/projects";
import { grantableRoles } from "@/lib/services/roles";
import type { ProjectDto } from "@/lib/validation/projects";

export interface ProjectContext extends SettingsContext {
  project: ProjectDto;
  /** The user's authority in the project: their project role, or the Owner's for an org project:manage holder. */
  projectAuthority: Authority;
}

const isCode = (error: unknown, code: AppError["code"]) => error instanceof AppError && error.code === code;

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
  return { ...settings, project, projectAuthority: await projectAuthority(settings.ctx, projectId) };
});

/** The project's roles and the ones the pickers offer (the services' rule, mayGrantRole). */
export const projectRoles = (ctx: ServiceContext, projectId: string) => grantableRoles(ctx, projectScope(projectId));
