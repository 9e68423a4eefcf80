// Where a verification link lands, and where an unverified account is sent. Opening the link
// changes nothing (mail scanners open links): the signed-in owner of the account presses the
// button, and only that POST uses the link (contract §5).
import Link from "next/link";
import { redirect } from "next/navigation";
import { ActionForm, FieldError } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { resendVerificationEmail, signOutAction, verifyEmailAction, verifyEmailWithPasswordAction } from "@/lib/actions/auth";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { getSessionUser, type SessionUser } from "@/lib/auth/session";
import { verificationTokenEmail } from "@/lib/services/email-verification";
import { AuthCard, DevMailboxHint } from "@/app/(auth)/_lib/auth-card";
import { first, type SearchParams } from "@/app/(auth)/_lib/params";

export const dynamic = "force-dynamic";
export const metadata = { title: "Verify your email", referrer: "no-referrer" };

function SignOut({ user }: { user: SessionUser }) {
  return (
    <form action={signOutAction}>
      <SubmitButton variant="secondary" pendingLabel="Signing out…">
        Sign out ({user.email})
      </SubmitButton>
    </form>
  );
}

function Resend({ next }: { next: string }) {
  return (
    <ActionForm action={resendVerificationEmail} aria-label="Send a new verification email">
      <input type="hidden" name="callbackUrl" value={next} />
      <SubmitButton variant="secondary" pendingLabel="Sending…">
        Send a new link
      </SubmitButton>
    </ActionForm>
  );
}

export default async function VerifyEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const token = first(params.token);
  const requested = first(params.callbackUrl);
  const next = requested ? safeCallbackPath(requested) : "/settings";
  const toInvitation = next.startsWith("/invite/");
  const user = await getSessionUser();

  if (!token) {
    if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(next)}`);
    if (user.emailVerified) redirect(next);
    return (
      <AuthCard
        after={
          <div className="row" style={{ justifyContent: "center", marginTop: 16 }}>
            <SignOut user={user} />
          </div>
        }
      >
          <h1>Check your inbox</h1>
          <p>
            {first(params.sent) ? "We sent a verification link to " : "Verify your email address to continue: we sent a link to "}
            <strong>{user.email}</strong>. Open it and press <em>Verify email</em>
            {toInvitation ? " to continue to your invitation." : "."}
          </p>
          <p className="muted">
            Until then this account cannot join or create organizations. The link works once and expires in 24 hours.
          </p>
          <Resend next={next} />
          <DevMailboxHint />
      </AuthCard>
    );
  }

  const email = await verificationTokenEmail(token);
  return (
    <AuthCard>
        {!email ? (
          <>
            <h1>This link has expired or was already used</h1>
            <p className="muted">Verification links work once and expire after 24 hours.</p>
            {user && !user.emailVerified ? (
              <Resend next={next} />
            ) : user ? (
              <Link href={next} className="button button-primary">
                Continue
              </Link>
            ) : (
              <p>
                <Link href={`/sign-in?callbackUrl=${encodeURIComponent(next)}`}>Sign in</Link> to ask for a new link.
              </p>
            )}
          </>
        ) : !user ? (
          <>
            <h1>Confirm your email address</h1>
            <p>
              This link confirms the account for <strong>{email}</strong>. Enter its password to confirm that the
              account is yours{toInvitation ? ", then continue to your invitation" : ""}.
            </p>
            <ActionForm action={verifyEmailWithPasswordAction} aria-label="Confirm with your password">
              <input type="hidden" name="token" value={token} />
              <input type="hidden" name="callbackUrl" value={next} />
              <input type="hidden" name="email" value={email} autoComplete="username" />
              <div className="field">
                <label htmlFor="verify-password">Password</label>
                <input id="verify-password" name="password" type="password" autoComplete="current-password" required aria-describedby="password-error" />
                <FieldError name="password" id="password-error" />
              </div>
              <SubmitButton pendingLabel="Verifying…">Verify email</SubmitButton>
            </ActionForm>
            <p className="muted">
              Did not create an account? Then ignore this link. You can still{" "}
              <Link href={`/sign-in?${new URLSearchParams({ email })}`}>sign in with an email link</Link>, which makes the
              address yours and removes any password someone else set for it.
            </p>
          </>
        ) : user.email !== email ? (
          <>
            <h1>This link is for another account</h1>
            <p>
              It confirms <strong>{email}</strong>, but you are signed in as <strong>{user.email}</strong>. Sign out,
              then open the link again.
            </p>
            <SignOut user={user} />
          </>
        ) : (
          <>
            <h1>Confirm your email address</h1>
            <p>
              Confirm that <strong>{email}</strong> is yours{toInvitation ? ", then continue to your invitation" : ""}.
            </p>
            <ActionForm action={verifyEmailAction} aria-label="Verify your email address">
              <input type="hidden" name="token" value={token} />
              <input type="hidden" name="callbackUrl" value={next} />
              <SubmitButton pendingLabel="Verifying…">Verify email</SubmitButton>
            </ActionForm>
          </>
        )}
    </AuthCard>
  );
}
