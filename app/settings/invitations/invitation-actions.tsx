"use client";
// Per-row controls of the invitations list: resend (with the new one-time link) and revoke. The
// same controls serve a project's invitations, with its id as a hidden field.
import { ActionForm } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { ProjectField } from "@/app/settings/_components/project-field";
import { RowRemovalForm } from "@/app/settings/_components/flash";
import { resendInvitationAction, revokeInvitationAction } from "@/lib/actions/invitations";
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
      <SubmitButton variant="secondary" pendingLabel="Sending…">
        Resend
      </SubmitButton>
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
