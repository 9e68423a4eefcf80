"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/app/_components/submit-button";
import type { InviteActionState } from "@/lib/actions/invite";

type Action = (state: InviteActionState, form: FormData) => Promise<InviteActionState>;

/** Accept and Decline as two separate POST forms, each with its pending state and error. */
export function RespondButtons({
  accept,
  decline,
  hidden,
}: {
  accept: Action;
  decline: Action;
  hidden: Record<string, string>;
}) {
  const [acceptState, acceptAction] = useActionState(accept, null);
  const [declineState, declineAction] = useActionState(decline, null);
  const error = acceptState?.error ?? declineState?.error;
  const inputs = Object.entries(hidden).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
  return (
    <div>
      <div className="row">
        <form action={acceptAction}>
          {inputs}
          <SubmitButton pendingLabel="Joining…">Accept invitation</SubmitButton>
        </form>
        <form action={declineAction}>
          {inputs}
          <SubmitButton variant="secondary" pendingLabel="Declining…">
            Decline
          </SubmitButton>
        </form>
      </div>
      {error && (
        <p role="alert" className="alert alert-error">
          {error}
        </p>
      )}
    </div>
  );
}
