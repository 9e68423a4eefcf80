// The development mailbox (see lib/email/transport.ts): what was "sent" while no mail provider
// is configured. Read only by the development pages.
import "server-only";
import { getPrisma } from "@/lib/db";

export async function listMailbox(limit = 50) {
  return getPrisma().devMailboxMessage.findMany({ orderBy: { createdAt: "desc" }, take: limit });
}
