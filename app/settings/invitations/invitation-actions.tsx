"use client";
// Per-row controls of the invitations list: resend (with the new one-time link) and revoke.
import { useActionState } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { ConfirmSubmit } from "@/app/_components/confirm-submit";
import { SubmitButton } from "@/app/_components/submit-button";
import { useFlash } from "@/app/settings/members/flash";
import { resendInvitationAction, revokeInvitationAction } from "@/lib/actions/invitations";
import type { ActionResult } from "@/lib/actions/run";
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

type Revoked = ActionResult<{ id: number; deleted: true }>;

export function RevokeForm({ id, email, declined }: { id: number; email: string; declined: boolean }) {
  const flash = useFlash();
  // Flashed from the action itself: the row (and this component) unmounts with the same update.
  const [state, action] = useActionState(async (prev: Revoked | null, form: FormData) => {
    const result = await revokeInvitationAction(prev, form);
    if (result.ok) flash(`The invitation to ${email} was revoked.`);
    return result;
  }, null);
  return (
    <form action={action} aria-label={`Revoke the invitation to ${email}`}>
      <input type="hidden" name="invitationId" value={id} />
      <ConfirmSubmit
        title={`Revoke the invitation to ${email}?`}
        description={
          declined
            ? `${email} declined this invitation. Revoking removes it from this list; you can invite them again later.`
            : `The link sent to ${email} stops working at once and the invitation leaves this list. You can invite them again later.`
        }
        confirmLabel="Revoke invitation"
      >
        Revoke
      </ConfirmSubmit>
      {state && !state.ok && (
        <p role="alert" className="alert alert-error">
          {state.error}
        </p>
      )}
    </form>
  );
}
