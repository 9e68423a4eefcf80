// Resending and revoking invitations, of the organization or of one project. An
// invitation of another organization — or of another scope (a project's on the org path, the
// org's or another project's on a project path) — is indistinguishable from a missing one (404),
// and revoked ones no longer exist to callers.
import "server-only";
import { getPrisma } from "@/lib/db";
import { env } from "@/lib/env";
import { conflict, notFound, rateLimited } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { auditRow } from "@/lib/services/audit";
import type { ServiceContext } from "@/lib/services/context";
import { orgTransaction, transaction } from "@/lib/services/organization-lock";
import { assertCan, assertCanActOnRole, assertCanGrantRole } from "@/lib/services/permissions";
import { assertWithinLimits } from "@/lib/services/rate-limit";
import { invitationQuota } from "@/lib/services/throttles";
import { toInvitationDto } from "./dto";
import { cancelQueuedEmails, invitationEmailRow } from "./outbox";
import { assertSeatsFor, inviterName } from "./rules";
import { invitationAction, ORGANIZATION_SCOPE, resolveScope, type InvitationScope, type ResolvedScope } from "./scope";
import { invitationExpiry, newInviteToken } from "./tokens";

type Tx = Prisma.TransactionClient;

async function lockInvitation(tx: Tx, target: ResolvedScope, id: number) {
  const [row] = await tx.$queryRaw<{ id: number }[]>`
    SELECT id FROM "Invitation"
     WHERE id = ${id} AND "organizationId" = ${target.organizationId}
       AND "projectId" IS NOT DISTINCT FROM ${target.projectId} AND status <> 'REVOKED'
       FOR UPDATE`;
  if (!row) throw notFound(`Invitation ${id} not found`);
  return tx.invitation.findUniqueOrThrow({ where: { id }, include: { role: { select: { name: true } } } });
}

/** Sends the invitation again with a new link (the old one stops working) and a new expiry. */
export async function resendInvitation(ctx: ServiceContext, id: number, scope: InvitationScope = ORGANIZATION_SCOPE) {
  const target = await resolveScope(getPrisma(), ctx.actor, scope);
  await assertCan(target.subject, "user:manage");
  const now = new Date();
  // Organization first, then invitation: the same lock order as creation.
  const row = await orgTransaction(ctx.actor.organizationId, async (tx, org) => {
      const invitation = await lockInvitation(tx, target, id);
      if (invitation.status !== "PENDING") {
        throw conflict(`Invitation ${id} is ${invitation.status.toLowerCase()}; only pending invitations can be resent`);
      }
      // Sending it again hands out its role anew: the grant ceiling applies as at creation.
      await assertCanGrantRole(tx, target.subject, invitation.roleId);
      const cooldownMs = env().INVITATION_RESEND_COOLDOWN_SECONDS * 1000;
      const waitMs = invitation.lastSentAt.getTime() + cooldownMs - now.getTime();
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        throw rateLimited(`Invitation ${id} was sent recently; it can be resent in ${seconds} s`, seconds);
      }
      // An expired invitation holds no seat; sending it again takes one (unless the address holds one).
      if (invitation.expiresAt <= now) await assertSeatsFor(tx, org, [invitation.email], now);
      await assertWithinLimits([invitationQuota(org)], 1, tx);

      const { token, tokenHash } = newInviteToken();
      const updated = await tx.invitation.update({
        where: { id },
        data: { tokenHash, expiresAt: invitationExpiry(now), lastSentAt: now, emailStatus: "QUEUED" },
      });
      await cancelQueuedEmails(tx, [id]);
      const facts = {
        organizationId: org.id,
        organizationName: org.name,
        projectName: target.projectName,
        inviterName: await inviterName(tx, ctx.actor),
        roleName: invitation.role.name,
      };
      await tx.emailOutbox.create({ data: invitationEmailRow(facts, updated, token) });
      await tx.auditEvent.create({
        data: auditRow(ctx, invitationAction(target, "resend"), { type: "invitation", id }, undefined, target.projectId),
      });
      return { updated, token };
  });
  return { invitation: toInvitationDto(row.updated), token: row.token };
}

/** Revokes a pending or declined invitation: kept as REVOKED for the audit trail, hidden otherwise. */
export async function revokeInvitation(ctx: ServiceContext, id: number, scope: InvitationScope = ORGANIZATION_SCOPE) {
  const target = await resolveScope(getPrisma(), ctx.actor, scope);
  await assertCan(target.subject, "user:manage");
  await transaction(async (tx) => {
      const invitation = await lockInvitation(tx, target, id);
      if (invitation.status === "ACCEPTED") {
        throw conflict(`Invitation ${id} was already accepted; remove the member instead`);
      }
      // Withdrawing a pending grant is acting on it: a weaker role cannot revoke a stronger one's.
      await assertCanActOnRole(
        tx,
        target.subject,
        invitation.roleId,
        "You cannot revoke an invitation to a role that holds permissions you do not hold",
      );
      await tx.invitation.update({ where: { id }, data: { status: "REVOKED", revokedAt: new Date() } });
      await cancelQueuedEmails(tx, [id]);
      await tx.auditEvent.create({
        data: auditRow(ctx, invitationAction(target, "revoke"), { type: "invitation", id }, undefined, target.projectId),
      });
  });
  return { id, deleted: true as const };
}
