"use server";
// Settings → Projects: create a project (with an optional Owner and its default API key, whose
// full value is in this answer only), rename it and delete it. The project's keys, members,
// invitations and roles go through the scoped actions (api-keys, project-members, invitations,
// roles) with a hidden `projectId`.
import { redirect } from "next/navigation";
import { z } from "zod";
import { createProject, deleteProject, updateProject } from "@/lib/services/projects/projects";
import type { ApiKeyDto } from "@/lib/validation/api-keys";
import { ProjectIdParam } from "@/lib/validation/invitations";
import { CreateProjectBody, UpdateProjectBody, type ProjectDto } from "@/lib/validation/projects";
import { formToObject, runOrgAction, type ActionResult } from "./run";
import { projectPage } from "./scope";

const LIST = "/settings/projects";
// The governance page counts each policy's projects; every change is audited.
const revalidate = [LIST, "/settings/governance", "/settings/audit-log"];

// The Owner picker's "nobody" option sends "".
const CreateProjectForm = CreateProjectBody.extend({
  email: z.preprocess((v) => (v === "" ? undefined : v), CreateProjectBody.shape.email),
});

export interface CreatedProject {
  project: ProjectDto;
  /** The project's default key with its full value: shown once, never retrievable again. */
  apiKey: ApiKeyDto;
}

export async function createProjectAction(_prev: ActionResult<CreatedProject> | null, form: FormData): Promise<ActionResult<CreatedProject>> {
  return runOrgAction(formToObject(form), { schema: CreateProjectForm, revalidate }, (ctx, data) => createProject(ctx, data));
}

const ProjectIdForm = z.object({ projectId: ProjectIdParam });
const UpdateProjectForm = UpdateProjectBody.extend(ProjectIdForm.shape);

export async function updateProjectAction(_prev: ActionResult<ProjectDto> | null, form: FormData): Promise<ActionResult<ProjectDto>> {
  return runOrgAction(
    formToObject(form),
    { schema: UpdateProjectForm, revalidate: ({ projectId }) => [...revalidate, projectPage(projectId)] },
    (ctx, { projectId, ...body }) => updateProject(ctx, projectId, body),
  );
}

/**
 * Deleted from its own page (`then=list`), the project's pages no longer exist: the person is
 * taken to the list, which says what happened. From the list, the row just goes.
 */
export async function deleteProjectAction(
  _prev: ActionResult<{ id: string; deleted: true }> | null,
  form: FormData,
): Promise<ActionResult<{ id: string; deleted: true }>> {
  const result = await runOrgAction(formToObject(form), { schema: ProjectIdForm, revalidate }, (ctx, { projectId }) =>
    deleteProject(ctx, projectId),
  );
  // Outside runOrgAction: redirect() works by throwing, and that must reach Next.js.
  if (result.ok && form.get("then") === "list") redirect(`${LIST}?deleted=1`);
  return result;
}
