import Link from "next/link";
import { env } from "@/lib/env";
import { first, type SearchParams } from "@/app/(auth)/_lib/params";

export const dynamic = "force-dynamic";
export const metadata = { title: "Check your email" };

export default async function CheckEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const email = first(params.email);
  const toInvitation = (first(params.callbackUrl) ?? "").startsWith("/invite/");
  // Without a Resend key a development install delivers mail to its own mailbox page.
  const devMailbox = !env().RESEND_API_KEY && env().NODE_ENV !== "production";
  return (
    <main className="auth-card">
      <Link href="/" className="wordmark">
        Confident
      </Link>
      <div className="card stack">
        <h1>Check your inbox</h1>
        <p>
          We sent a sign-in link to {email ? <strong>{email}</strong> : "your email address"}. Open it on this device to
          sign in{toInvitation ? " and return to your invitation" : ""}. The link works once and expires in 30 minutes.
        </p>
        {devMailbox && (
          <p className="alert alert-info">
            Email is not sent on this development install. Open the <Link href="/dev/mailbox">development mailbox</Link> to
            find the link.
          </p>
        )}
        <p className="muted">
          Nothing arrived after a few minutes? Check your spam folder, or{" "}
          <Link href={email ? `/sign-in?email=${encodeURIComponent(email)}` : "/sign-in"}>ask for another link</Link>.
        </p>
      </div>
    </main>
  );
}
