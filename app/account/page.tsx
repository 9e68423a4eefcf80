// The signed-in person's own account: password and sessions. Reachable with or without an
// organization; an unverified account is sent to verify its address first.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ActionForm, FieldError } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { changePasswordAction, signOutOtherSessionsAction } from "@/lib/actions/account";
import { signOutAction } from "@/lib/actions/auth";
import { getSessionUser } from "@/lib/auth/session";
import { MIN_PASSWORD_LENGTH } from "@/lib/services/accounts";
import { countOtherSessions } from "@/lib/services/sessions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in?callbackUrl=%2Faccount");
  if (!user.emailVerified) redirect("/verify-email?callbackUrl=%2Faccount");
  const others = await countOtherSessions(user.id, user.sessionId);

  return (
    <main id="main" tabIndex={-1} className="container stack">
      <Link href="/settings" className="wordmark">
        Confident
      </Link>
      <h1>Your account</h1>
      <p className="muted">
        Signed in as <strong>{user.email}</strong>
        {user.name ? ` (${user.name})` : ""}.
      </p>

      <section className="card stack" aria-labelledby="password-heading">
        <h2 id="password-heading">{user.hasPassword ? "Change your password" : "Add a password"}</h2>
        {!user.hasPassword && (
          <p className="muted">You sign in with emailed links. Add a password to sign in with it as well.</p>
        )}
        <ActionForm action={changePasswordAction} aria-label={user.hasPassword ? "Change your password" : "Add a password"} resetOnSuccess>
          <input type="hidden" name="email" value={user.email} autoComplete="username" />
          {user.hasPassword && (
            <div className="field">
              <label htmlFor="current-password">Current password</label>
              <input id="current-password" name="current" type="password" autoComplete="current-password" required aria-describedby="current-error" />
              <FieldError name="current" id="current-error" />
            </div>
          )}
          <div className="field">
            <label htmlFor="new-password">New password</label>
            <input
              id="new-password"
              name="next"
              type="password"
              autoComplete="new-password"
              minLength={MIN_PASSWORD_LENGTH}
              required
              aria-describedby="new-password-hint next-error"
            />
            <span id="new-password-hint" className="hint">
              At least {MIN_PASSWORD_LENGTH} characters. Saving it signs out every other session.
            </span>
            <FieldError name="next" id="next-error" />
          </div>
          <SubmitButton pendingLabel="Saving…">Save password</SubmitButton>
        </ActionForm>
      </section>

      <section className="card stack" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Sessions</h2>
        <p data-testid="other-sessions">
          {others === 0
            ? "You are signed in only here."
            : `You are also signed in on ${others} other ${others === 1 ? "session" : "sessions"} (other browsers or devices).`}
        </p>
        <ActionForm action={signOutOtherSessionsAction} aria-label="Sign out other sessions">
          <SubmitButton variant="secondary" pendingLabel="Signing out…">
            Sign out other sessions
          </SubmitButton>
        </ActionForm>
        <form action={signOutAction}>
          <SubmitButton variant="secondary" pendingLabel="Signing out…">
            Sign out here
          </SubmitButton>
        </form>
      </section>
    </main>
  );
}
