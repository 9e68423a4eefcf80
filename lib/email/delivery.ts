// Where mail goes, from configuration alone: cheap to import (no templates, no SDK), for pages,
// actions and boot. The worker that sends it is ./runner.
import { env } from "@/lib/env";

/**
 * Where mail goes: through Resend; to the development mailbox (development without a key); or
 * nowhere yet (production without a key: queued until one is set). Pages use it so that nobody
 * is told "we sent you a link" when nothing can arrive.
 */
export function mailDelivery(): "resend" | "mailbox" | "none" {
  const config = env();
  if (config.RESEND_API_KEY) return "resend";
  return config.NODE_ENV === "production" ? "none" : "mailbox";
}

export const MAIL_UNAVAILABLE =
  "Email sign-in is unavailable: this installation has no mail provider configured yet (RESEND_API_KEY). " +
  "Sign in with your password, or ask your administrator to set up email.";

export function emailStatusLine(): string {
  const config = env();
  if (config.RESEND_API_KEY) return `Email: sending through Resend as ${config.EMAIL_FROM}.`;
  if (config.NODE_ENV !== "production") {
    return `Email: no RESEND_API_KEY, so messages go to the development mailbox (${config.APP_URL}/dev/mailbox) and invite links are logged.`;
  }
  return "Email is NOT configured (RESEND_API_KEY is unset): invitation emails are queued and will be sent once it is set.";
}
