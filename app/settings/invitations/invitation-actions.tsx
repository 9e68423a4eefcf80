"use client";
// Per-row controls of the invitations list: resend (with the new one-time link) and revoke.
import { ActionForm } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { RowRemovalForm } from "@/app/settings/_components/flash";
import { resendInvitationAction, revokeInvitationAction } from "@/lib/actions/invitations";
import { CopyLink } from "./copy-link";
import styles from "./invitations.module.css";

export function ResendForm({ id, email }: { id: number; email: string }) {
  return (
    <ActionForm
      action={resendInvitationAction}
      success={`Sent again to ${email}. The previous link no longer works.`}
      render={(result) => <CopyLink link={result.link} email={email} />}
      aria-label={`Resend the invitation to ${email}`}
      className={styles.resend}
    >
      <input type="hidden" name="invitationId" value={id} />
      <SubmitButton variant="secondary" pendingLabel="Sending…">
        Resend
      </SubmitButton>
    </ActionForm>
  );
}

export function RevokeForm({ id, email, declined }: { id: number; email: string; declined: boolean }) {
  return (
    <RowRemovalForm
      action={revokeInvitationAction}
      name="invitationId"
      value={id}
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
