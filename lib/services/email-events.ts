// Delivery events reported by the mail provider, mapped onto the invitation whose current
// message they concern. Events may arrive late or out of order: a bounce is final, and an
// event about a message that a resend has since replaced changes nothing.
import { getPrisma } from "@/lib/db";
import type { EmailStatus } from "@/lib/generated/prisma/client";

const EVENT_STATUS: Record<string, EmailStatus> = {
  "email.delivered": "DELIVERED",
  // A spam complaint means the invitee did not welcome the message: report it with bounces so
  // admins stop resending to that address.
  "email.bounced": "BOUNCED",
  "email.complained": "BOUNCED",
};

const MAY_BECOME: Record<EmailStatus, EmailStatus[]> = {
  QUEUED: ["QUEUED", "SENT"],
  SENT: ["QUEUED", "SENT"],
  DELIVERED: ["QUEUED", "SENT", "DELIVERED"],
  BOUNCED: ["QUEUED", "SENT", "DELIVERED"],
  FAILED: ["QUEUED", "SENT"],
};

export type EventResult = "applied" | "ignored";

export async function applyEmailEvent(type: string, providerId: string): Promise<EventResult> {
  const status = EVENT_STATUS[type];
  if (!status) return "ignored";
  const prisma = getPrisma();
  const message = await prisma.emailOutbox.findFirst({
    where: { providerId, status: "SENT", invitationId: { not: null } },
    select: { invitationId: true },
  });
  if (!message?.invitationId) return "ignored";
  const { count } = await prisma.invitation.updateMany({
    where: { id: message.invitationId, emailStatus: { in: MAY_BECOME[status] } },
    data: { emailStatus: status },
  });
  return count > 0 ? "applied" : "ignored";
}
