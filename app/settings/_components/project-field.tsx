// The settings forms serve the organization and its projects alike; a project's forms carry its
// id in this hidden field, which the actions read as their scope (lib/actions/scope.ts).
export function ProjectField({ projectId }: { projectId?: string }) {
  return projectId ? <input type="hidden" name="projectId" value={projectId} /> : null;
}
