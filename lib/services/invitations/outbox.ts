// The invitation email, queued in the same transaction as the invitation (transactional
// outbox). The link is sealed with a key derived from AUTH_SECRET; the sender erases it once
// the message is out.
import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { outboxRow } from "@/lib/services/outbox";
import { inviteUrl } from "./tokens";

export const INVITATION_EMAIL = "invitation";
export { OUTBOX_SECRET_PURPOSE } from "@/lib/services/outbox";

export interface InvitationEmailFacts {
  organizationId: string;
  organizationName: string;
  /** Set for a project invitation: the email names the project and its organization. */
  projectName: string | null;
  inviterName: string | null;
  roleName: string;
}

export function invitationEmailRow(
  facts: InvitationEmailFacts,
  /** id null when the invitation is written by the same statement (bulk-insert.ts InvitationLink). */
  invitation: { id: number | null; email: string; expiresAt: Date },
  token: string,
): Prisma.EmailOutboxCreateManyInput {
  return outboxRow({
    kind: INVITATION_EMAIL,
    recipient: invitation.email,
    organizationId: facts.organizationId,
    invitationId: invitation.id,
    payload: {
      organizationName: facts.organizationName,
      projectName: facts.projectName,
      inviterName: facts.inviterName,
      roleName: facts.roleName,
      expiresAt: invitation.expiresAt.toISOString(),
    },
    secret: { inviteUrl: inviteUrl(token) },
  });
}

/** Withdraws queued messages for invitations whose links just stopped working. */
export function cancelQueuedEmails(tx: Prisma.TransactionClient, invitationIds: number[]) {
  return tx.emailOutbox.updateMany({
    where: { invitationId: { in: invitationIds }, status: "PENDING" },
    data: { status: "CANCELLED", secret: null },
  });
}
