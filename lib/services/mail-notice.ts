// Whether a settings page tells its viewer how mail is set up. Only those whose work it holds
// back or who run the organization are told: members who send invitations (user:manage: theirs
// wait in the queue, or go to the development mailbox) and who manage the organization
// (organization:manage: they are the ones to ask the operator for RESEND_API_KEY). Everyone
// else could do nothing about it.
import "server-only";
import { mailDelivery } from "@/lib/email/delivery";
import type { Actor } from "./context";
import { permissionsOf } from "./permissions";

/** "unconfigured": production without a mail provider; "mailbox": development's mailbox. */
export type MailNotice = "unconfigured" | "mailbox" | null;

export async function mailNoticeFor(actor: Actor): Promise<MailNotice> {
  const delivery = mailDelivery();
  if (delivery === "resend") return null;
  const held = await permissionsOf(actor);
  if (!held.has("user:manage") && !held.has("organization:manage")) return null;
  return delivery === "none" ? "unconfigured" : "mailbox";
}
