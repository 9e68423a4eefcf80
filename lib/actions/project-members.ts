"use server";
// A project's Members section: change a member's project role (choosing Owner transfers project
// ownership) and take someone out of the project (they stay in the organization). The services
// hold every rule; these only bind the forms to them.
import { removeProjectMember, updateProjectMemberRole } from "@/lib/services/projects/members";
import { UpdateMemberBody } from "@/lib/validation/members";
import { ProjectMemberParams, type ProjectMemberDto } from "@/lib/validation/project-iam";
import { formToObject, runOrgAction, type ActionResult } from "./run";
import { scopedPages } from "./scope";

const ChangeProjectRoleForm = ProjectMemberParams.extend(UpdateMemberBody.shape);

// Removal also revokes the person's open invitations to the project, which its Invitations lists.
const revalidate = ({ projectId }: { projectId: string }) => scopedPages(projectId, [], ["members", "invitations"]);

export async function changeProjectMemberRoleAction(
  _prev: ActionResult<ProjectMemberDto> | null,
  form: FormData,
): Promise<ActionResult<ProjectMemberDto>> {
  return runOrgAction(formToObject(form), { schema: ChangeProjectRoleForm, revalidate }, (ctx, { projectId, userId, roleId }) =>
    updateProjectMemberRole(ctx, projectId, userId, { roleId }),
  );
}

export async function removeProjectMemberAction(
  _prev: ActionResult<{ id: string; removed: true }> | null,
  form: FormData,
): Promise<ActionResult<{ id: string; removed: true }>> {
  return runOrgAction(formToObject(form), { schema: ProjectMemberParams, revalidate }, (ctx, { projectId, userId }) =>
    removeProjectMember(ctx, projectId, userId),
  );
}
