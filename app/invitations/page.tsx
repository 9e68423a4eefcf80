// A signed-in user's pending invitations (verified email only), to accept or decline without
// the emailed link.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/lib/auth/session";
import { acceptInviteByIdAction, declineInviteByIdAction } from "@/lib/actions/invite";
import { listPendingInvitationsForUser } from "@/lib/services/invitations";
import { RespondButtons } from "../invite/respond-buttons";
import { formatLongDate } from "@/lib/format";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your invitations" };


export default async function MyInvitationsPage({ searchParams }: { searchParams: Promise<{ declined?: string }> }) {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in?callbackUrl=%2Finvitations");
  // Invitations are matched to verified addresses only.
  if (!user.emailVerified) redirect("/verify-email?callbackUrl=%2Finvitations");
  const { declined } = await searchParams;
  const invitations = await listPendingInvitationsForUser(user.id);
  return (
    <main id="main" tabIndex={-1} className="container stack">
      <span className="wordmark">Confident</span>
      <h1>Your invitations</h1>
      {declined && (
        <p role="status" className="toast">
          Invitation declined.
        </p>
      )}
      {invitations.length === 0 ? (
        <div className="card empty">
          <p>No pending invitations.</p>
          <Link href="/settings">Go to your organization</Link>
        </div>
      ) : (
        invitations.map((invitation) => (
          <section
            key={invitation.id}
            className="card stack"
            aria-label={`Invitation to ${invitation.projectName ? `${invitation.projectName} in ` : ""}${invitation.organizationName}`}
          >
            <h2>
              {invitation.projectName ? `${invitation.projectName} · ${invitation.organizationName}` : invitation.organizationName}
            </h2>
            <p>
              {invitation.inviterName ? `${invitation.inviterName} invited you` : "You have been invited"} as{" "}
              <span className="badge badge-blue">{invitation.roleName}</span>. Expires on{" "}
              {formatLongDate(invitation.expiresAt)}.
            </p>
            <RespondButtons
              accept={acceptInviteByIdAction}
              decline={declineInviteByIdAction}
              hidden={{ invitationId: String(invitation.id) }}
            />
          </section>
        ))
      )}
    </main>
  );
}
