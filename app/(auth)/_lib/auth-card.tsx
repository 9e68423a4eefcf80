// The frame of every sign-in, sign-up and verification page: the wordmark, then one card.
import Link from "next/link";
import type { ReactNode } from "react";
import { env } from "@/lib/env";

export function AuthCard({ children, after, stack = true }: { children: ReactNode; after?: ReactNode; stack?: boolean }) {
  return (
    <main id="main" tabIndex={-1} className="auth-card">
      <Link href="/" className="wordmark">
        Confident
      </Link>
      <div className={stack ? "card stack" : "card"}>{children}</div>
      {after}
    </main>
  );
}

/** Without a Resend key a development install delivers mail to its own mailbox page: say where. */
export function DevMailboxHint({ what = "the link" }: { what?: string }) {
  const config = env();
  if (config.RESEND_API_KEY || config.NODE_ENV === "production") return null;
  return (
    <p className="alert alert-info">
      Email is not sent on this development install. Open the <Link href="/dev/mailbox">development mailbox</Link> to find{" "}
      {what}.
    </p>
  );
}
