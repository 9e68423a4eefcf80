// The link in an invitation email. This page only reads — mail scanners prefetch links — and
// shows who invites whom to what; accepting or declining is an explicit POST.
import type { Metadata } from "next";
import Link from "next/link";
import { getSessionUser } from "@/lib/auth/session";
import { acceptInviteAction, declineInviteAction, switchAccountAction } from "@/lib/actions/invite";
import { getInvitationByToken } from "@/lib/services/invitations";
import { RespondButtons } from "../respond-buttons";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

function NotValid() {
  return (
    <main className="auth-card card stack">
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
  if (!invitation) return <NotValid />;

  const user = await getSessionUser();
  const back = `/invite/${token}`;
  const email = encodeURIComponent(invitation.email);
  const callback = encodeURIComponent(back);

  return (
    <main className="auth-card card stack">
      <span className="wordmark">Confident</span>
      <h1>Join {invitation.organizationName}</h1>
      <p>
        {invitation.inviterName ? `${invitation.inviterName} invited you` : "You have been invited"} to join{" "}
        <strong>{invitation.organizationName}</strong> as <span className="badge badge-blue">{invitation.roleName}</span>.
      </p>
      <p className="muted">
        Sent to {invitation.email}. This invitation expires on {dateFormat.format(invitation.expiresAt)}.
      </p>

      {!user && (
        <div className="stack">
          <p>Sign in or create an account with {invitation.email} to respond.</p>
          <div className="row">
            <Link className="button button-primary" href={`/sign-in?callbackUrl=${callback}&email=${email}`}>
              Sign in
            </Link>
            <Link className="button button-secondary" href={`/sign-up?callbackUrl=${callback}&email=${email}`}>
              Create an account
            </Link>
          </div>
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

      {user && user.email === invitation.email && (
        <RespondButtons accept={acceptInviteAction} decline={declineInviteAction} hidden={{ token }} />
      )}
    </main>
  );
}
