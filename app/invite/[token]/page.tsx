// The link in an invitation email. This page only reads — mail scanners prefetch links — and
// shows who invites whom to what; accepting or declining is an explicit POST.
import type { Metadata } from "next";
import Link from "next/link";
import { getSessionUser } from "@/lib/auth/session";
import { acceptInviteAction, declineInviteAction, switchAccountAction } from "@/lib/actions/invite";
import { answeredInvitationFor, getInvitationByToken, type AnsweredInvitation } from "@/lib/services/invitations";
import { switchOrganization } from "@/lib/actions/organization";
import { ActionForm } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { resendVerificationEmail } from "@/lib/actions/auth";
import { env } from "@/lib/env";
import { MAIL_UNAVAILABLE, mailDelivery } from "@/lib/email/delivery";
import { EmailLinkForm } from "../email-link-form";
import { RespondButtons } from "../respond-buttons";
import { formatLongDate } from "@/lib/format";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };


function NotValid({ answered }: { answered: AnsweredInvitation | null }) {
  // The signed-in invitee reopening a link they already used: say where they are, and open it.
  if (answered?.status === "ACCEPTED" && answered.member) {
    const place = answered.projectName ? `${answered.projectName} in ${answered.organizationName}` : answered.organizationName;
    return (
      <main id="main" tabIndex={-1} className="auth-card card stack">
        <span className="wordmark">Confident</span>
        <h1>You&apos;re already a member of {place}</h1>
        <p className="muted">You accepted this invitation earlier; the link has done its job.</p>
        <ActionForm action={switchOrganization} aria-label={`Open ${place}`}>
          <input type="hidden" name="organizationId" value={answered.organizationId} />
          <input type="hidden" name="next" value={answered.projectId ? `/settings/projects/${answered.projectId}` : "/settings"} />
          <SubmitButton pendingLabel="Opening…">Open {answered.projectName ?? answered.organizationName}</SubmitButton>
        </ActionForm>
      </main>
    );
  }
  return (
    <main id="main" tabIndex={-1} className="auth-card card stack">
      <span className="wordmark">Confident</span>
      <h1>This invitation is no longer valid</h1>
      <p className="muted">
        It may have expired, been replaced by a newer invitation, or been withdrawn. Ask the person who invited you for a
        new invitation.
      </p>
      <Link className="button button-secondary" href="/">
        Go to the home page
      </Link>
    </main>
  );
}

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await getInvitationByToken(token);
  const user = await getSessionUser();
  if (!invitation) return <NotValid answered={user ? await answeredInvitationFor(user.id, { token }) : null} />;

  const signupOpen = !env().AUTH_DISABLE_SIGNUP;
  const back = `/invite/${token}`;
  const email = encodeURIComponent(invitation.email);
  const callback = encodeURIComponent(back);

  return (
    <main id="main" tabIndex={-1} className="auth-card card stack">
      <span className="wordmark">Confident</span>
      <h1>Join {invitation.projectName ?? invitation.organizationName}</h1>
      <p>
        {invitation.inviterName ? `${invitation.inviterName} invited you` : "You have been invited"} to join{" "}
        {invitation.projectName ? (
          <>
            the project <strong>{invitation.projectName}</strong> in <strong>{invitation.organizationName}</strong>
          </>
        ) : (
          <strong>{invitation.organizationName}</strong>
        )}{" "}
        as <span className="badge badge-blue">{invitation.roleName}</span>.
      </p>
      <p className="muted">
        Sent to {invitation.email}. This invitation expires on {formatLongDate(invitation.expiresAt)}.
      </p>

      {!user && (
        <div className="stack">
          <p>
            To respond, show that {invitation.email} is yours: we email a sign-in link to that address, and it brings
            you back here.
          </p>
          {mailDelivery() === "none" ? (
            <p className="alert alert-info">{MAIL_UNAVAILABLE}</p>
          ) : (
            <EmailLinkForm email={invitation.email} callbackUrl={back} />
          )}
          <p className="muted">
            Or <Link href={`/sign-in?callbackUrl=${callback}&email=${email}`}>sign in with a password</Link>
            {signupOpen && (
              <>
                {" "}
                or <Link href={`/sign-up?callbackUrl=${callback}&email=${email}`}>create an account with a password</Link>{" "}
                (we email you a link to verify it)
              </>
            )}
            .
          </p>
        </div>
      )}

      {user && user.email === invitation.email && !user.emailVerified && (
        <div className="stack" data-testid="verify-first">
          <p role="status" className="alert alert-info">
            Verify your email address to respond: open the verification link we sent to <strong>{user.email}</strong>,
            or get a sign-in link — either proves the address is yours.
          </p>
          <EmailLinkForm email={invitation.email} callbackUrl={back} label="Email me a sign-in link" />
          <ActionForm action={resendVerificationEmail} aria-label="Send a new verification email">
            <input type="hidden" name="callbackUrl" value={back} />
            <SubmitButton variant="secondary" pendingLabel="Sending…">
              Send a new verification link
            </SubmitButton>
          </ActionForm>
        </div>
      )}

      {user && user.email !== invitation.email && (
        <div className="stack" data-testid="wrong-account">
          <p role="alert" className="alert alert-warning">
            This invitation was sent to <strong>{invitation.email}</strong>, but you are signed in as{" "}
            <strong>{user.email}</strong>.
          </p>
          <form action={switchAccountAction}>
            <input type="hidden" name="token" value={token} />
            <input type="hidden" name="email" value={invitation.email} />
            <button type="submit" className="button button-primary">
              Switch account
            </button>
          </form>
        </div>
      )}

      {user && user.email === invitation.email && user.emailVerified && (
        <RespondButtons accept={acceptInviteAction} decline={declineInviteAction} hidden={{ token }} />
      )}
    </main>
  );
}
