// The app shell around every settings page: who you are, which organization you are working in,
// where you can go, and whether email is really being delivered.
import Link from "next/link";
import type { ReactNode } from "react";
import { SubmitButton } from "@/app/_components/submit-button";
import { EmailBanner } from "@/app/settings/_components/email-banner";
import { signOutAction } from "@/lib/actions/auth";
import { getWorkspace } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { listPendingInvitationsForUser } from "@/lib/services/invitations";
import { CollapsibleSidebar, OrgSwitcher, SettingsNav } from "./_nav";

export const dynamic = "force-dynamic";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const workspace = await getWorkspace();
  // Each page redirects (to sign-in with its own path as callbackUrl, or to create an
  // organization) — the layout cannot know the path, so it just stays out of the way.
  if (!workspace?.active) return <>{children}</>;
  const { user, active, organizations } = workspace;
  const pending = await listPendingInvitationsForUser(user.id);

  return (
    <div className="shell">
      <CollapsibleSidebar>
        {organizations.length > 1 ? (
          <OrgSwitcher organizations={organizations.map(({ id, name }) => ({ id, name }))} activeId={active.id} />
        ) : (
          <div>
            <span className="label">Organization</span>
            <span>{active.name}</span>
          </div>
        )}
        <p className="hint">
          Your role: <strong>{active.roleName}</strong>
        </p>
        <SettingsNav />
        {!env().DISABLE_ORG_CREATION && (
          <Link href="/organizations/new" className="button button-secondary">
            New organization
          </Link>
        )}
        <div className="stack" style={{ borderTop: "1px solid var(--border)", paddingTop: 16 }}>
          <p className="hint wrap-anywhere" title="Signed in as">
            {user.name ? (
              <>
                <strong>{user.name}</strong>
                <br />
              </>
            ) : null}
            {user.email}
          </p>
          <Link href="/account">Your account</Link>
          <form action={signOutAction}>
            <SubmitButton variant="secondary" pendingLabel="Signing out…">
              Sign out
            </SubmitButton>
          </form>
        </div>
      </CollapsibleSidebar>
      <main id="main" tabIndex={-1} className="content">
        <EmailBanner actor={{ type: "user", userId: user.id, organizationId: active.id }} />
        {pending.length > 0 && (
          <p role="status" className="alert alert-info" data-testid="pending-invitations">
            You have {pending.length} pending invitation{pending.length > 1 ? "s" : ""} (
            {pending.map((p) => p.organizationName).join(", ")}). <Link href="/invitations">Review</Link>
          </p>
        )}
        <div style={{ marginTop: 24 }}>{children}</div>
      </main>
    </div>
  );
}
