// The organization-level rules every invitation write checks: plan, role, seats. Each runs
// inside the caller's transaction, after the organization row is locked, so two concurrent
// requests cannot both pass a seat check that only one of them fits.
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { forbidden, unprocessable } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { LockedOrganization } from "@/lib/services/organization-lock";
import { actingUserId, type Actor } from "@/lib/services/context";
import { systemOrOwn } from "@/lib/services/iam";
import { assertCanGrantRole } from "@/lib/services/permissions";

type Tx = Prisma.TransactionClient;

export function assertPlanAllowsInviting(org: LockedOrganization, now: Date) {
  const trialOver = org.plan === "TRIAL" && org.trialEndsAt !== null && org.trialEndsAt <= now;
  if (org.plan === "FREE" || trialOver) {
    throw forbidden("Inviting members is not available on the Free plan outside of the trial period");
  }
}

/**
 * The role invitees get: the one asked for (system or this org's), or Member. Never Owner; and the
 * actor (a user, or a key acting as its creator) may only hand out a role whose permissions it holds.
 */
export async function resolveInvitationRole(tx: Tx, actor: Actor, roleId: string | undefined) {
  const organizationId = actor.organizationId;
  const id = roleId ?? SYSTEM_ROLES.Member;
  if (id === SYSTEM_ROLES.Owner) {
    throw forbidden("The Owner role cannot be given by invitation; transfer ownership to a member instead");
  }
  const role = await tx.role.findFirst({
    where: { id, ...systemOrOwn(organizationId) },
    select: { id: true, name: true },
  });
  if (!role) throw unprocessable(`organizationRoleId ${id} is not a role of this organization`);
  await assertCanGrantRole(tx, actor, role.id);
  return role;
}

/** Members plus live (unexpired) pending invitations may not exceed the org's seat limit. */
export async function assertSeatsAvailable(tx: Tx, org: LockedOrganization, adding: number, now: Date) {
  if (org.seatLimit === null || adding === 0) return;
  const [row] = await tx.$queryRaw<{ used: number }[]>`
    SELECT ((SELECT count(*) FROM "Membership" WHERE "organizationId" = ${org.id})
          + (SELECT count(*) FROM "Invitation"
              WHERE "organizationId" = ${org.id} AND status = 'PENDING' AND "expiresAt" > ${now}))::int AS used`;
  const used = row?.used ?? 0;
  if (used + adding > org.seatLimit) {
    throw forbidden(
      `Seat limit reached: ${used} of ${org.seatLimit} seats are used by members and pending invitations; ` +
        `${adding} more would exceed it`,
    );
  }
}

/** Who invites, as stored on the invitation: the key (if any) and the user it acts for. */
export function invitedBy(actor: Actor) {
  return {
    invitedByUserId: actingUserId(actor),
    invitedByApiKeyId: actor.type === "apiKey" ? actor.apiKeyId : null,
  };
}

/** Name shown as the inviter in the email: the acting user's name or email; null for an operator key. */
export async function inviterName(tx: Tx, actor: Actor) {
  const userId = actingUserId(actor);
  if (!userId) return null;
  const user = await tx.user.findUnique({ where: { id: userId }, select: { name: true, email: true } });
  return user ? (user.name ?? user.email) : null;
}
