// Where an emailed sign-in link lands. Opening it signs nobody in (mail scanners and link
// previews open links); the button POSTs the link's token to Auth.js, and that POST is what uses
// it (contract §5).
import Link from "next/link";
import { EmailLinkForm } from "@/app/invite/email-link-form";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { MAIL_UNAVAILABLE, mailDelivery } from "@/lib/email/delivery";
import { signInLinkUsable } from "@/lib/services/sign-in-links";
import { AuthCard } from "@/app/(auth)/_lib/auth-card";
import { first, type SearchParams } from "@/app/(auth)/_lib/params";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in", referrer: "no-referrer" };

export default async function ConfirmSignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const token = first(params.token);
  const email = first(params.email);
  const callbackUrl = safeCallbackPath(first(params.callbackUrl));
  if (!token || !email) {
    return (
      <AuthCard>
        <h1>This sign-in link is incomplete</h1>
        <p className="muted">Open the link from the email again, or ask for a new one.</p>
        <Link href="/sign-in" className="button button-primary">
          Go to sign-in
        </Link>
      </AuthCard>
    );
  }
  if (!(await signInLinkUsable(email, token))) {
    // Keep the address and where the link led (an invitation, say): one click sends a fresh link.
    return (
      <AuthCard>
        <h1>This sign-in link has expired or was already used</h1>
        <p className="muted">Sign-in links work once, for 30 minutes. We can send a new one to {email}.</p>
        {mailDelivery() === "none" ? (
          <p className="alert alert-info">{MAIL_UNAVAILABLE}</p>
        ) : (
          <EmailLinkForm email={email} callbackUrl={callbackUrl} label="Email me a new link" />
        )}
        <Link href={`/sign-in?${new URLSearchParams({ email, callbackUrl })}`}>Sign in another way</Link>
      </AuthCard>
    );
  }
  const action = `/api/auth/callback/email?${new URLSearchParams({ token, email })}`;
  return (
    <AuthCard>
        <h1>Sign in to Confident</h1>
        <p>
          Continue as <strong>{email}</strong>.
        </p>
        <form method="post" action={action}>
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <button type="submit" className="button button-primary">
            Sign in
          </button>
        </form>
        <p className="muted">The link works once and expires 30 minutes after it was sent.</p>
    </AuthCard>
  );
}
