import Link from "next/link";
import { redirect } from "next/navigation";
import { ActionForm, FieldError } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { sendSignInLink, signInWithPassword } from "@/lib/actions/auth";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { getSessionUser } from "@/lib/auth/session";
import { MAIL_UNAVAILABLE, mailDelivery } from "@/lib/email/delivery";
import { AuthCard } from "@/app/(auth)/_lib/auth-card";
import { first, type SearchParams } from "@/app/(auth)/_lib/params";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

const THROTTLED = {
  tone: "error" as const,
  text: "Too many sign-in attempts. Wait a few minutes and try again, or sign in with an email link.",
};

// Auth.js sends its failures here as ?error=<type> (pages.error is /sign-in).
const ERRORS: Record<string, { tone: "error" | "warning"; text: string }> = {
  SignupClosed: { tone: "warning", text: "Sign-up is closed on this installation; ask an administrator for an invitation." },
  CredentialsSignin: { tone: "error", text: "Wrong email or password." },
  Verification: { tone: "error", text: "That sign-in link has expired or was already used. Ask for a new one below." },
  AccessDenied: { tone: "error", text: "You cannot sign in with that account." },
};

/** A signed-in visitor never lands back on an auth page (that would loop). */
function nextPath(callbackUrl: string | undefined) {
  const path = callbackUrl ? safeCallbackPath(callbackUrl) : "/settings";
  return /^\/(sign-in|sign-up)(\/|\?|$)/.test(path) ? "/settings" : path;
}

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = first(params.callbackUrl);
  if (await getSessionUser()) redirect(nextPath(callbackUrl));
  const email = first(params.email) ?? "";
  const errorKey = first(params.error);
  const code = errorKey === "CredentialsSignin" ? first(params.code) : undefined;
  const error = code === "rate_limited"
    ? THROTTLED
    : errorKey
      ? (Object.hasOwn(ERRORS, errorKey) ? ERRORS[errorKey]! : { tone: "error" as const, text: "Sign-in failed. Please try again." })
      : null;
  const next = callbackUrl ? nextPath(callbackUrl) : "";
  // Keep what the person came with (an invitation's address and where it leads) on the way to sign-up.
  const signUpQuery = new URLSearchParams({ ...(next && { callbackUrl: next }), ...(email && { email }) }).toString();
  const signUpHref = `/sign-up${signUpQuery ? `?${signUpQuery}` : ""}`;
  const delivery = mailDelivery();

  return (
    <AuthCard
      stack={false}
      after={
        <p className="muted" style={{ textAlign: "center" }}>
        New here? <Link href={signUpHref}>Create an account</Link>
        </p>
      }
    >
        <h1>Sign in</h1>
        <p className="muted">Manage your organization&apos;s members, invitations and API keys.</p>
        {error && (
          <p role="alert" className={`alert alert-${error.tone}`}>
            {error.text}
          </p>
        )}

        <ActionForm action={signInWithPassword} aria-label="Sign in with a password" className="stack">
          <input type="hidden" name="callbackUrl" value={next} />
          <div className="field">
            <label htmlFor="email">Email</label>
            <input id="email" name="email" type="email" autoComplete="email" defaultValue={email} required aria-describedby="email-error" />
            <FieldError name="email" id="email-error" />
          </div>
          <div className="field">
            <label htmlFor="password">Password</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required aria-describedby="password-error" />
            <FieldError name="password" id="password-error" />
          </div>
          <SubmitButton pendingLabel="Signing in…">Sign in</SubmitButton>
        </ActionForm>

        <p className="divider">or sign in without a password</p>

        {delivery === "none" ? (
          <p className="alert alert-info" data-testid="email-sign-in-unavailable">
            {MAIL_UNAVAILABLE}
          </p>
        ) : (
        <ActionForm action={sendSignInLink} aria-label="Email me a sign-in link">
          <input type="hidden" name="callbackUrl" value={next} />
          <div className="field">
            <label htmlFor="link-email">Email</label>
            <input id="link-email" name="email" type="email" autoComplete="email" defaultValue={email} required aria-describedby="link-email-error" />
            <span className="hint">We&apos;ll email you a link that signs you in. It works once, for 30 minutes.</span>
            <FieldError name="email" id="link-email-error" />
          </div>
          <SubmitButton variant="secondary" pendingLabel="Sending…">
            Email me a sign-in link
          </SubmitButton>
          {delivery === "mailbox" && (
            <span className="hint">
              This development install keeps mail to itself: the link lands in the{" "}
              <Link href="/dev/mailbox">development mailbox</Link>.
            </span>
          )}
        </ActionForm>
        )}
    </AuthCard>
  );
}
