// Server-only: how mail is set up, for those who can act on it (lib/services/mail-notice.ts).
import Link from "next/link";
import type { Actor } from "@/lib/services/context";
import { mailNoticeFor } from "@/lib/services/mail-notice";

export async function EmailBanner({ actor }: { actor: Actor }) {
  const notice = await mailNoticeFor(actor);
  if (notice === "unconfigured") {
    return (
      <p role="status" className="alert alert-warning">
        Email is not configured: invitations are queued but not sent. Ask whoever runs this installation to set{" "}
        <code>RESEND_API_KEY</code>; until then, resend an invitation to get a link you can share yourself.
      </p>
    );
  }
  if (notice === "mailbox") {
    return (
      <p role="status" className="alert alert-info">
        Email goes to the development mailbox: <Link href="/dev/mailbox">open it</Link> to see invitations and sign-in links.
      </p>
    );
  }
  return null;
}
