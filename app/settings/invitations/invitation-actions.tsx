"use client";
// Per-row controls of the invitations lists: resend (asking first: the old link dies), revoke,
// and re-invite for a declined one. The same controls serve a project's invitations, with its
// id as a hidden field.
import { ActionForm } from "@/app/_components/action-form";
import { ConfirmSubmit } from "@/app/_components/confirm-submit";
import { ProjectField } from "@/app/settings/_components/project-field";
import { RowRemovalForm, useFlash } from "@/app/settings/_components/flash";
import {
  inviteMembersAction,
  resendInvitationAction,
  revokeInvitationAction,
  type InviteResult,
  type InviteRow,
} from "@/lib/actions/invitations";
import type { ActionResult } from "@/lib/actions/run";
import { CopyLink } from "./copy-link";
import styles from "./invitations.module.css";

export function ResendForm({ id, email, projectId }: { id: number; email: string; projectId?: string }) {
  return (
    <ActionForm
      action={resendInvitationAction}
      success={`Sent again to ${email}. The previous link no longer works.`}
      render={(result) => <CopyLink link={result.link} email={email} />}
      aria-label={`Resend the invitation to ${email}`}
      className={styles.resend}
    >
      <input type="hidden" name="invitationId" value={id} />
      <ProjectField projectId={projectId} />
      <ConfirmSubmit
        variant="primary"
        title={`Resend the invitation to ${email}?`}
        description={`A new email with a new link goes to ${email}. The link sent before stops working at once, also if someone already has it open.`}
        confirmLabel="Resend invitation"
      >
        Resend
      </ConfirmSubmit>
    </ActionForm>
  );
}

export function RevokeForm({ id, email, declined, projectId }: { id: number; email: string; declined: boolean; projectId?: string }) {
  return (
    <RowRemovalForm
      action={revokeInvitationAction}
      name="invitationId"
      value={id}
      hidden={projectId ? { projectId } : undefined}
      success={`The invitation to ${email} was revoked.`}
      label={`Revoke the invitation to ${email}`}
      title={`Revoke the invitation to ${email}?`}
      description={
        declined
          ? `${email} declined this invitation. Revoking removes it from this list; you can invite them again later.`
          : `The link sent to ${email} stops working at once and the invitation leaves this list. You can invite them again later.`
      }
      confirmLabel="Revoke invitation"
    >
      Revoke
    </RowRemovalForm>
  );
}

/**
 * Invites someone who declined again: the same address and role through the invite action (the
 * service renews the declined invitation with a new link). The row moves to the open ones, so
 * the outcome, with the new link, shows at the top of the page.
 */
export function ReinviteForm({ email, roleId, roleName, projectId }: { email: string; roleId: string; roleName?: string; projectId?: string }) {
  const flash = useFlash();
  const reinvite = async (prev: ActionResult<InviteResult> | null, form: FormData) => {
    const result = await inviteMembersAction(prev, form);
    const row = result.ok ? result.data.rows[0] : undefined;
    if (row) flash(<ReinviteOutcome row={row} email={email} roleName={roleName} />);
    return result;
  };
  return (
    <ActionForm action={reinvite} aria-label={`Invite ${email} again`} className={styles.resend}>
      <input type="hidden" name="emails" value={email} />
      <input type="hidden" name={projectId ? "projectRoleId" : "organizationRoleId"} value={roleId} />
      <ProjectField projectId={projectId} />
      <ConfirmSubmit
        variant="primary"
        title={`Invite ${email} again?`}
        description={`${email} declined this invitation. A new invitation${roleName ? ` as ${roleName}` : ""} with a new link is emailed to them, valid for the usual time.`}
        confirmLabel="Invite again"
      >
        Re-invite
      </ConfirmSubmit>
    </ActionForm>
  );
}

function ReinviteOutcome({ row, email, roleName }: { row: InviteRow; email: string; roleName?: string }) {
  if (row.outcome === "ALREADY_MEMBER") return <>{email} is already a member; there is nothing to invite them to.</>;
  if (row.outcome !== "RENEWED" && row.outcome !== "INVITED") return <>{email} has an open invitation already.</>;
  return (
    <span className="stack">
      <span>
        Invited {email} again{roleName ? ` as ${roleName}` : ""}: a new invitation email is on its way.
      </span>
      {row.link && <CopyLink link={row.link} email={email} />}
    </span>
  );
}
