// After sign-up: the same page whether the address was new (a verification link was sent) or
// already had an account (its owner was told by email), so it reveals neither.
import Link from "next/link";
import { AuthCard, DevMailboxHint } from "@/app/(auth)/_lib/auth-card";
import { first, type SearchParams } from "@/app/(auth)/_lib/params";
import { safeCallbackPath } from "@/lib/auth/redirect";

export const dynamic = "force-dynamic";
export const metadata = { title: "Check your inbox" };

export default async function SignUpCheckEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const email = first(params.email);
  const requested = first(params.callbackUrl);
  const toInvitation = requested ? safeCallbackPath(requested).startsWith("/invite/") : false;
  return (
    <AuthCard>
      <h1>Check your inbox</h1>
      <p>
        We sent an email to {email ? <strong>{email}</strong> : "your address"}. Open the link in it and confirm with your
        password to finish creating your account{toInvitation ? " and continue to your invitation" : ""}.
      </p>
      <p className="muted">
        If that address already has an account, the email says so and how to sign in — no second account is made. The
        link works once and expires in 24 hours.
      </p>
      <DevMailboxHint what="it" />
      <p className="muted">
        Nothing arrived after a few minutes? Check your spam folder, or <Link href="/sign-in">sign in</Link> and ask for a
        new link.
      </p>
    </AuthCard>
  );
}
