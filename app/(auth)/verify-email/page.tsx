import Link from "next/link";
import { ActionForm } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { resendVerificationEmail } from "@/lib/actions/auth";
import { getSessionUser } from "@/lib/auth/session";
import { verifyEmailToken } from "@/lib/services/accounts";

export const dynamic = "force-dynamic";
export const metadata = { title: "Verify your email" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function VerifyEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = (await searchParams).token;
  const token = Array.isArray(raw) ? raw[0] : raw;
  const verified = token ? await verifyEmailToken(token) : false;
  // Read after verifying, so a signed-in user whose link just worked is seen as verified; a
  // mail scanner that opened the link first also leaves them verified, which we say plainly.
  const user = await getSessionUser();
  const alreadyVerified = !verified && Boolean(user?.emailVerified);

  return (
    <main className="auth-card">
      <Link href="/" className="wordmark">
        Confident
      </Link>
      <div className="card stack">
        {verified || alreadyVerified ? (
          <>
            <h1>Email verified</h1>
            <p>{verified ? "Thanks — your email address is confirmed." : "Your email address is already confirmed."}</p>
            <Link href={user ? "/settings" : "/sign-in"} className="button button-primary">
              {user ? "Go to settings" : "Sign in"}
            </Link>
          </>
        ) : (
          <>
            <h1>This link has expired or was already used</h1>
            <p className="muted">Verification links work once and expire after 24 hours.</p>
            {user ? (
              <ActionForm action={resendVerificationEmail} aria-label="Send a new verification email">
                <p>
                  We can send a new link to <strong>{user.email}</strong>.
                </p>
                <SubmitButton pendingLabel="Sending…">Send a new link</SubmitButton>
              </ActionForm>
            ) : (
              <p>
                <Link href="/sign-in?callbackUrl=%2Fsettings">Sign in</Link> to ask for a new verification link.
              </p>
            )}
          </>
        )}
      </div>
    </main>
  );
}
