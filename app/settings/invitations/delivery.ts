// What the invitations list says about an invitation's email, given where mail goes on this
// installation (lib/email/delivery.ts mailDelivery()). "Queued · Last sent 6 minutes ago" would
// be untrue when nothing can send it, and "Sent" means the development mailbox in development.
import type { AnyInvitationDto } from "@/lib/validation/invitations";

export type MailDelivery = "resend" | "mailbox" | "none";

export interface DeliveryNote {
  badge: string;
  label: string;
  /** The badge's title: what the state means. */
  title: string;
  /** The line under the badge; `since` appends the time of the last send ("Queued 3 minutes ago"). */
  hint: string;
  since?: boolean;
  /** Where to look for the message (the development mailbox). */
  href?: string;
}

export const DEV_MAILBOX = "/dev/mailbox";

export function deliveryNote(status: AnyInvitationDto["email_status"], mail: MailDelivery): DeliveryNote {
  switch (status) {
    case "QUEUED":
      if (mail === "none") {
        return {
          badge: "badge-amber",
          label: "Not sent",
          title: "This installation has no mail provider configured (RESEND_API_KEY), so the email waits in the queue.",
          hint: "Email is not configured: resend to get a link you can share yourself.",
        };
      }
      return mail === "mailbox"
        ? { badge: "", label: "Queued", title: "Waiting to be delivered to the development mailbox.", hint: "Queued for the development mailbox", since: true, href: DEV_MAILBOX }
        : { badge: "", label: "Queued", title: "Waiting to be handed to the mail provider.", hint: "Queued", since: true };
    case "SENT":
      return mail === "mailbox"
        ? { badge: "badge-blue", label: "In the dev mailbox", title: "Delivered to the development mailbox, not sent to anyone.", hint: "Delivered to the development mailbox", since: true, href: DEV_MAILBOX }
        : { badge: "badge-blue", label: "Sent", title: "Accepted by the mail provider.", hint: "Last sent", since: true };
    case "DELIVERED":
      return { badge: "badge-green", label: "Delivered", title: "The recipient's mail server accepted it.", hint: "Last sent", since: true };
    case "BOUNCED": {
      const title = "The address rejected it. Check the spelling; revoke and invite again.";
      return { badge: "badge-red", label: "Bounced", title, hint: title };
    }
    case "FAILED": {
      const title = "It could not be sent. Resend it; the new link also appears here to share yourself.";
      return { badge: "badge-red", label: "Failed", title, hint: title };
    }
  }
}
