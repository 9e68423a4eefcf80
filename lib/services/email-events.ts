// Delivery events reported by the mail provider, mapped onto the invitation whose current
// message they concern. Events may arrive late or out of order: a bounce is final, and an
// event about a message that a resend has since replaced changes nothing. Each delivery is
// processed once: its id is remembered, so a captured and replayed request changes nothing.
import "server-only";
import { getPrisma } from "@/lib/db";
import type { EmailStatus, Prisma } from "@/lib/generated/prisma/client";

// A Map, not an object literal: the type comes from the sender, and "constructor" or
// "__proto__" must not find Object.prototype's members.
const EVENT_STATUS = new Map<string, EmailStatus>([
  ["email.delivered", "DELIVERED"],
  // A spam complaint means the invitee did not welcome the message: report it with bounces so
  // admins stop resending to that address.
  ["email.bounced", "BOUNCED"],
  ["email.complained", "BOUNCED"],
]);

const MAY_BECOME: Record<EmailStatus, EmailStatus[]> = {
  QUEUED: ["QUEUED", "SENT"],
  SENT: ["QUEUED", "SENT"],
  DELIVERED: ["QUEUED", "SENT", "DELIVERED"],
  BOUNCED: ["QUEUED", "SENT", "DELIVERED"],
  FAILED: ["QUEUED", "SENT"],
};

/** Longer than the signature tolerance (5 min): a replay older than that fails verification anyway. */
const REMEMBER_MS = 10 * 60_000;
const CLEAN_EVERY_MS = 5 * 60_000;
let nextCleanAt = 0;

export type EventResult = "applied" | "ignored" | "duplicate";

export interface EmailEvent {
  /** The delivery's id (svix-id): the same for every retry and replay of one event. */
  deliveryId: string;
  type: string;
  providerId: string;
}

export async function applyEmailEvent(event: EmailEvent): Promise<EventResult> {
  const status = EVENT_STATUS.get(event.type);
  if (!status) return "ignored";
  const result = await getPrisma().$transaction(async (tx) => {
    // Recording the id and applying the event commit together: a failure leaves the id unseen,
    // so the provider's retry is processed. A concurrent duplicate waits on this row's lock.
    const { count } = await tx.webhookEvent.createMany({
      data: [{ id: event.deliveryId, receivedAt: new Date() }],
      skipDuplicates: true,
    });
    if (count === 0) return "duplicate";
    return await applyStatus(tx, status, event.providerId);
  });
  await forgetOldDeliveries();
  return result;
}

async function applyStatus(tx: Prisma.TransactionClient, status: EmailStatus, providerId: string): Promise<EventResult> {
  const message = await tx.emailOutbox.findFirst({
    where: { providerId, status: "SENT", invitationId: { not: null } },
    select: { invitationId: true },
  });
  if (!message?.invitationId) return "ignored";
  const { count } = await tx.invitation.updateMany({
    where: { id: message.invitationId, emailStatus: { in: MAY_BECOME[status] } },
    data: { emailStatus: status },
  });
  return count > 0 ? "applied" : "ignored";
}

/** At most every few minutes per process: ids past the window are no longer needed. */
async function forgetOldDeliveries() {
  const now = Date.now();
  if (now < nextCleanAt) return;
  nextCleanAt = now + CLEAN_EVERY_MS;
  await getPrisma().webhookEvent.deleteMany({ where: { receivedAt: { lt: new Date(now - REMEMBER_MS) } } });
}
