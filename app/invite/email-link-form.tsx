"use client";
// "Continue with email": sends a sign-in link to the invited address, which comes back to the
// invitation once used. Using it is what proves the address (contract §5).
import { ActionForm } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { sendSignInLink } from "@/lib/actions/auth";

export function EmailLinkForm({ email, callbackUrl, label = "Continue with email" }: { email: string; callbackUrl: string; label?: string }) {
  return (
    <ActionForm action={sendSignInLink} aria-label={`Email a sign-in link to ${email}`}>
      <input type="hidden" name="email" value={email} />
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <SubmitButton pendingLabel="Sending…">{label}</SubmitButton>
    </ActionForm>
  );
}
