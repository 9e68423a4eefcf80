"use client";
// Per-row controls of the members table: the role picker (choosing Owner asks first, since it
// hands over the organization) and removal (asks first; its result shows at the top of the page,
// because the row itself disappears).
import { useActionState, useState } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { ConfirmSubmit } from "@/app/_components/confirm-submit";
import { SubmitButton } from "@/app/_components/submit-button";
import { changeMemberRoleAction, removeMemberAction } from "@/lib/actions/members";
import type { ActionResult } from "@/lib/actions/run";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import type { MemberDto } from "@/lib/validation/members";
import { visuallyHidden } from "./a11y";
import { useFlash } from "./flash";
import { keepChoiceOnReset } from "./keep-choice";

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

type Removed = ActionResult<{ id: string; removed: true }>;

export function RemoveMemberForm({ userId, email, orgName }: { userId: string; email: string; orgName: string }) {
  const flash = useFlash();
  // Flashed from the action itself: the row (and this component) unmounts with the same update.
  const [state, action] = useActionState(async (prev: Removed | null, form: FormData) => {
    const result = await removeMemberAction(prev, form);
    if (result.ok) flash(`${email} was removed from ${orgName}.`);
    return result;
  }, null);
  return (
    <form action={action} aria-label={`Remove ${email}`}>
      <input type="hidden" name="userId" value={userId} />
      <ConfirmSubmit
        title={`Remove ${email}?`}
        description={`${email} loses access to ${orgName} at once; their pending invitations are revoked.`}
        confirmLabel="Remove member"
      >
        Remove
      </ConfirmSubmit>
      {state && !state.ok && (
        <p role="alert" className="alert alert-error">
          {state.error}
        </p>
      )}
    </form>
  );
}
