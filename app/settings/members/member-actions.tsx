"use client";
// Per-row controls of the members table: the role picker (choosing Owner asks first, since it
// hands over the organization) and removal (asks first; its result shows at the top of the page,
// because the row itself disappears).
import { useState } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { ConfirmSubmit } from "@/app/_components/confirm-submit";
import { SubmitButton } from "@/app/_components/submit-button";
import { RowRemovalForm } from "@/app/settings/_components/flash";
import { visuallyHidden } from "@/app/settings/_lib/a11y";
import { keepChoiceOnReset } from "@/app/settings/_lib/keep-choice";
import { changeMemberRoleAction, removeMemberAction } from "@/lib/actions/members";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import type { MemberDto } from "@/lib/validation/members";

interface RoleOption {
  id: string;
  name: string;
}

export function ChangeRoleForm({
  userId,
  email,
  currentRoleId,
  roles,
}: {
  userId: string;
  email: string;
  currentRoleId: string;
  roles: RoleOption[];
}) {
  const [selected, setSelected] = useState(currentRoleId);
  // A saved change arrives as a new currentRoleId (and a fresh <select>): start over from it.
  const [shown, setShown] = useState(currentRoleId);
  if (shown !== currentRoleId) {
    setShown(currentRoleId);
    setSelected(currentRoleId);
  }
  const selectId = `role-${userId}`;
  const success = (member: MemberDto) =>
    member.organizationRole?.id === SYSTEM_ROLES.Owner
      ? `${member.email} is now the Owner. You are now an Admin.`
      : `${member.email} is now ${member.organizationRole?.name ?? "without a role"}.`;
  return (
    <ActionForm action={changeMemberRoleAction} success={success} aria-label={`Change the role of ${email}`}>
      <input type="hidden" name="userId" value={userId} />
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
        ) : selected === SYSTEM_ROLES.Owner ? (
          <ConfirmSubmit
            title={`Make ${email} the Owner?`}
            description={`${email} becomes the Owner. You become an Admin. This cannot be undone by you.`}
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

export function RemoveMemberForm({ userId, email, orgName }: { userId: string; email: string; orgName: string }) {
  return (
    <RowRemovalForm
      action={removeMemberAction}
      name="userId"
      value={userId}
      success={`${email} was removed from ${orgName}.`}
      label={`Remove ${email}`}
      title={`Remove ${email}?`}
      description={`${email} loses access to ${orgName} at once; their pending invitations are revoked.`}
      confirmLabel="Remove member"
    >
      Remove
    </RowRemovalForm>
  );
}
