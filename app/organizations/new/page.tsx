import Link from "next/link";
import { redirect } from "next/navigation";
import { ActionForm, FieldError } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { signOutAction } from "@/lib/actions/auth";
import { createOrganizationAction } from "@/lib/actions/organization";
import { getWorkspace } from "@/lib/auth/session";
import { listPendingInvitationsForUser } from "@/lib/services/invitations";
import { orgCreationEnabled } from "@/lib/services/organization-create";

export const dynamic = "force-dynamic";
export const metadata = { title: "New organization" };

export default async function NewOrganizationPage() {
  const workspace = await getWorkspace();
  if (!workspace) redirect("/sign-in?callbackUrl=%2Forganizations%2Fnew");
  if (!workspace.user.emailVerified) redirect("/verify-email?callbackUrl=%2Forganizations%2Fnew");
  const firstOrg = workspace.organizations.length === 0;
  const pending = await listPendingInvitationsForUser(workspace.user.id);

  return (
    <main id="main" tabIndex={-1} className="auth-card">
      <Link href={firstOrg ? "/" : "/settings"} className="wordmark">
        Confident
      </Link>
      <div className="card stack">
        <h1>{firstOrg ? "Create your organization" : "New organization"}</h1>
        {pending.length > 0 && (
          <p role="status" className="alert alert-info" data-testid="pending-invitations">
            You have {pending.length} pending invitation{pending.length > 1 ? "s" : ""} (
            {pending.map((p) => p.organizationName).join(", ")}). <Link href="/invitations">Review them</Link> to join.
          </p>
        )}
        {orgCreationEnabled() ? (
          <>
            <p className="muted">
              {firstOrg
                ? "You are not a member of any organization yet. Create one to invite your team and issue API keys — or ask a colleague to invite you to theirs."
                : "You will be its Owner. It starts on a 14-day trial."}
            </p>
            <ActionForm action={createOrganizationAction} aria-label="Create an organization">
              <div className="field">
                <label htmlFor="org-name">Organization name</label>
                <input id="org-name" name="name" type="text" maxLength={100} required autoFocus placeholder="Acme Inc." aria-describedby="name-error" />
                <FieldError name="name" />
              </div>
              <SubmitButton pendingLabel="Creating…">Create organization</SubmitButton>
            </ActionForm>
          </>
        ) : (
          <p className="alert alert-info">
            Creating organizations is turned off on this installation. Ask an administrator to invite{" "}
            <strong>{workspace.user.email}</strong> to an organization.
          </p>
        )}
      </div>
      <div className="row" style={{ justifyContent: "center", marginTop: 16 }}>
        {!firstOrg && <Link href="/settings">Back to settings</Link>}
        <form action={signOutAction}>
          <SubmitButton variant="secondary" pendingLabel="Signing out…">
            Sign out ({workspace.user.email})
          </SubmitButton>
        </form>
      </div>
    </main>
  );
}
