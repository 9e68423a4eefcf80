import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  if (await getSessionUser()) redirect("/settings");
  return (
    <main id="main" tabIndex={-1} className="auth-card">
      <span className="wordmark">Confident</span>
      <div className="card stack">
        <h1>Your organization, self-hosted</h1>
        <p className="muted">
          Members, invitations, roles and API keys for your Confident AI platform — with the same management API the
          official SDKs use.
        </p>
        <div className="row">
          <Link href="/sign-in" className="button button-primary">
            Sign in
          </Link>
          <Link href="/sign-up" className="button button-secondary">
            Create account
          </Link>
        </div>
        <p className="hint">
          API: send an organization key in the <code>CONFIDENT_API_KEY</code> header to <code>/v1/organization</code>.
          Reference: <Link href="/docs">/docs</Link> · Status: <a href="/api/health">/api/health</a>
        </p>
      </div>
    </main>
  );
}
