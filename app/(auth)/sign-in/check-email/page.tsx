import Link from "next/link";
import { AuthCard, DevMailboxHint } from "@/app/(auth)/_lib/auth-card";
import { first, type SearchParams } from "@/app/(auth)/_lib/params";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";
export const metadata = { title: "Check your email" };

export default async function CheckEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const email = first(params.email);
  const toInvitation = (first(params.callbackUrl) ?? "").startsWith("/invite/");
  return (
    <AuthCard>
      <h1>Check your inbox</h1>
      <p>
        We sent a sign-in link to {email ? <strong>{email}</strong> : "your email address"}. Open it on this device to
        sign in{toInvitation ? " and return to your invitation" : ""}. The link works once and expires in 30 minutes.
      </p>
      {env().AUTH_DISABLE_SIGNUP && (
        <p className="muted">Sign-up is closed here: only addresses with an account or an invitation get a link.</p>
      )}
      <DevMailboxHint />
      <p className="muted">
        Nothing arrived after a few minutes? Check your spam folder, or{" "}
        <Link href={email ? `/sign-in?email=${encodeURIComponent(email)}` : "/sign-in"}>ask for another link</Link>.
      </p>
    </AuthCard>
  );
}
