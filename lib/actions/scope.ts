// The settings forms serve the organization and each of its projects with the same components:
// an optional hidden `projectId` field says which. Its parsing and the pages a change refreshes
// are defined once here for every action that takes it.
import { z } from "zod";
import { ProjectIdParam } from "@/lib/validation/invitations";

/** Absent or "" → the organization; otherwise a project id (its existence is the service's to check). */
export const ScopeField = z.object({ projectId: z.preprocess((v) => (v === "" ? undefined : v), ProjectIdParam.optional()) });

export type ProjectSection = "members" | "invitations" | "api-keys" | "roles";

/** A project's settings page, or one of its sections. */
export function projectPage(projectId: string, section?: ProjectSection): string {
  return section ? `/settings/projects/${projectId}/${section}` : `/settings/projects/${projectId}`;
}

/** The pages a scoped change refreshes: the organization's, or the project's counterparts. */
export function scopedPages(projectId: string | undefined, orgPages: string[], sections: ProjectSection[]): string[] {
  if (!projectId) return orgPages;
  return [projectPage(projectId), ...sections.map((section) => projectPage(projectId, section)), "/settings/audit-log"];
}
