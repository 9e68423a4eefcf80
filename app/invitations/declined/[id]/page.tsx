// After declining: a plain answer — what was declined, and where to go from here (the person's
// organizations if they have any, else creating one or signing out). No other state.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SubmitButton } from "@/app/_components/submit-button";
import { signOutAction } from "@/lib/actions/auth";
import { getWorkspace } from "@/lib/auth/session";
import { answeredInvitationFor } from "@/lib/services/invitations";
import { orgCreationEnabled } from "@/lib/services/organization-create";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Invitation declined" };

export default async function DeclinedPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const workspace = await getWorkspace();
  if (!workspace) redirect("/sign-in");
  const answered = await answeredInvitationFor(workspace.user.id, { id: Number(id) });
  const what = answered?.status === "DECLINED"
    ? answered.projectName
      ? `the project ${answered.projectName} in ${answered.organizationName}`
      : answered.organizationName
    : null;
  return (
    <main id="main" tabIndex={-1} className="auth-card card stack">
      <span className="wordmark">Confident</span>
      <h1>{what ? `You declined the invitation to ${what}` : "Invitation declined"}</h1>
      <p className="muted">Nothing else changed. If you change your mind, ask the person who invited you to send it again.</p>
      <div className="row">
        {workspace.organizations.length > 0 ? (
          <Link className="button button-primary" href="/settings">
            Go to your organization
          </Link>
        ) : (
          orgCreationEnabled() && (
            <Link className="button button-primary" href="/organizations/new">
              Create an organization
            </Link>
          )
        )}
        <Link className="button button-secondary" href="/invitations">
          Your other invitations
        </Link>
      </div>
      <form action={signOutAction}>
        <SubmitButton variant="secondary" pendingLabel="Signing out…">
          Sign out ({workspace.user.email})
        </SubmitButton>
      </form>
    </main>
  );
}
