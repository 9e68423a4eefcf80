"use client";
// Per-row controls of a members table, the organization's or a project's (`project`): the role
// picker (choosing Owner asks first, since it hands over the organization or the project) and
// removal (asks first; its result shows at the top of the page, because the row itself
// disappears).
import { useState } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { ConfirmSubmit } from "@/app/_components/confirm-submit";
import { SubmitButton } from "@/app/_components/submit-button";
import { RowRemovalForm } from "@/app/settings/_components/flash";
import { ProjectField } from "@/app/settings/_components/project-field";
import { visuallyHidden } from "@/app/settings/_lib/a11y";
import { keepChoiceOnReset } from "@/app/settings/_lib/keep-choice";
import { changeMemberRoleAction, removeMemberAction } from "@/lib/actions/members";
import { changeProjectMemberRoleAction, removeProjectMemberAction } from "@/lib/actions/project-members";
import type { ActionResult } from "@/lib/actions/run";
import type { MemberDto } from "@/lib/validation/members";
import type { ProjectMemberDto } from "@/lib/validation/project-iam";
import { ownerRoleOf, type MemberProject } from "./member-scope";

interface RoleOption {
  id: string;
  name: string;
}

type AnyMember = MemberDto | ProjectMemberDto;

const roleOf = (member: AnyMember) => ("projectRole" in member ? member.projectRole : member.organizationRole);

export function ChangeRoleForm({
  userId,
  email,
  currentRoleId,
  roles,
  project,
}: {
  userId: string;
  email: string;
  currentRoleId: string;
  roles: RoleOption[];
  project?: MemberProject;
}) {
  const [selected, setSelected] = useState(currentRoleId);
  // A saved change arrives as a new currentRoleId (and a fresh <select>): start over from it.
  const [shown, setShown] = useState(currentRoleId);
  if (shown !== currentRoleId) {
    setShown(currentRoleId);
    setSelected(currentRoleId);
  }
  const ownerRoleId = ownerRoleOf(project);
  const selectId = `role-${userId}`;
  // Both actions ignore the previous state; one form serves both scopes.
  const action = (_prev: ActionResult<AnyMember> | null, form: FormData): Promise<ActionResult<AnyMember>> =>
    project ? changeProjectMemberRoleAction(null, form) : changeMemberRoleAction(null, form);
  const success = (member: AnyMember) => {
    const role = roleOf(member);
    if (role?.id !== ownerRoleId) return `${member.email} is now ${role?.name ?? "without a role"}.`;
    return project
      ? `${member.email} is now the Owner of ${project.name}; the previous project Owner, if any, is now a Manager.`
      : `${member.email} is now the Owner. You are now an Admin.`;
  };
  return (
    <ActionForm action={action} success={success} aria-label={`Change the role of ${email}`}>
      <input type="hidden" name="userId" value={userId} />
      <ProjectField projectId={project?.id} />
      <div className="row" style={{ flexWrap: "nowrap" }}>
        <label htmlFor={selectId} style={visuallyHidden}>
          Role of {email}
        </label>
        <select
          key={currentRoleId}
          id={selectId}
          name="roleId"
          defaultValue={currentRoleId}
          onChange={(e) => {
            keepChoiceOnReset(e);
            setSelected(e.target.value);
          }}
          style={{ minWidth: 130 }}
        >
          {roles.map((role) => (
            <option key={role.id} value={role.id}>
              {role.name}
            </option>
          ))}
        </select>
        {selected === currentRoleId ? (
          <button type="button" className="button button-secondary" disabled title="Pick another role first">
            Save
          </button>
        ) : selected === ownerRoleId ? (
          <ConfirmSubmit
            title={project ? `Make ${email} the Owner of ${project.name}?` : `Make ${email} the Owner?`}
            description={
              project
                ? `${email} becomes the project's Owner. The current project Owner, if there is one, becomes a Manager. Only the new Owner (or an organization Owner or Admin) can hand it on again.`
                : `${email} becomes the Owner. You become an Admin. This cannot be undone by you.`
            }
            confirmLabel="Transfer ownership"
          >
            Save
          </ConfirmSubmit>
        ) : (
          <SubmitButton pendingLabel="Saving…">Save</SubmitButton>
        )}
      </div>
    </ActionForm>
  );
}

export function RemoveMemberForm({ userId, email, orgName, project }: { userId: string; email: string; orgName: string; project?: MemberProject }) {
  return (
    <RowRemovalForm
      action={project ? removeProjectMemberAction : removeMemberAction}
      name="userId"
      value={userId}
      hidden={project ? { projectId: project.id } : undefined}
      success={`${email} was removed from ${project?.name ?? orgName}.`}
      label={`Remove ${email}`}
      title={project ? `Remove ${email} from ${project.name}?` : `Remove ${email}?`}
      description={
        project
          ? `${email} loses access to ${project.name} at once and their open invitations to it are revoked. They stay a member of ${orgName}.`
          : `${email} loses access to ${orgName} and its projects at once; their open invitations are revoked.`
      }
      confirmLabel="Remove member"
    >
      Remove
    </RowRemovalForm>
  );
}
