// The rules every invitation write checks, whatever its scope: plan, role, seats. Each runs
// inside the caller's transaction, after the organization row is locked, so two concurrent
// requests cannot both pass a seat check that only one of them fits.
import "server-only";
import { forbidden, unprocessable } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { LockedOrganization } from "@/lib/services/organization-lock";
import { actingUserId, type Actor } from "@/lib/services/context";
import { assertCanGrantRole } from "@/lib/services/permissions";
import type { ResolvedScope } from "./scope";

type Tx = Prisma.TransactionClient;

export function assertPlanAllowsInviting(org: LockedOrganization, now: Date) {
  const trialOver = org.plan === "TRIAL" && org.trialEndsAt !== null && org.trialEndsAt <= now;
  if (org.plan === "FREE" || trialOver) {
    throw forbidden("Inviting members is not available on the Free plan outside of the trial period");
  }
}

/**
 * The role invitees get: the one asked for (a system or custom role of the scope), or the scope's
 * Member. Never the Owner; and the actor (a user, or a key acting as its creator) may only hand
 * out a role whose permissions it holds in that scope.
 */
export async function resolveInvitationRole(tx: Tx, target: ResolvedScope, roleId: string | undefined) {
  const id = roleId ?? target.defaultRoleId;
  const field = target.projectId ? "projectRoleId" : "organizationRoleId";
  if (id === target.ownerRoleId) {
    throw forbidden("The Owner role cannot be given by invitation; transfer ownership to a member instead");
  }
  const role = await tx.role.findFirst({ where: { id, ...target.roles }, select: { id: true, name: true } });
  if (!role) throw unprocessable(`${field} ${id} is not a role of this ${target.projectId ? "project" : "organization"}`);
  await assertCanGrantRole(tx, target.subject, role.id);
  return role;
}

export interface SeatUsage {
  /** Members plus the distinct non-member addresses holding a live pending invitation (org or project). */
  used: number;
  /** How many of the given addresses would take a seat they do not hold yet. */
  adding: number;
}

/**
 * The one seat count: an organization's members, plus every address that is not a member but
 * holds a live pending invitation — to the organization or to one of its projects, counted once.
 */
export async function seatUsage(tx: Tx, organizationId: string, now: Date, emails: string[] = []): Promise<SeatUsage> {
  const [row] = await tx.$queryRaw<SeatUsage[]>`
    WITH member_emails AS (
      SELECT u.email FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE m."organizationId" = ${organizationId}
    ), invited AS (
      SELECT DISTINCT i.email FROM "Invitation" i
       WHERE i."organizationId" = ${organizationId} AND i.status = 'PENDING' AND i."expiresAt" > ${now}
         AND i.email NOT IN (SELECT email FROM member_emails)
    )
    SELECT ((SELECT count(*) FROM member_emails) + (SELECT count(*) FROM invited))::int AS used,
           (SELECT count(DISTINCT e.email) FROM unnest(${emails}::text[]) AS e(email)
             WHERE e.email NOT IN (SELECT email FROM member_emails) AND e.email NOT IN (SELECT email FROM invited))::int AS adding`;
  return { used: Number(row?.used ?? 0), adding: Number(row?.adding ?? 0) };
}

/** The addresses may be invited only if the seats they would newly take fit the org's limit. */
export async function assertSeatsFor(tx: Tx, org: LockedOrganization, emails: string[], now: Date) {
  if (org.seatLimit === null || emails.length === 0) return;
  const { used, adding } = await seatUsage(tx, org.id, now, emails);
  if (adding > 0 && used + adding > org.seatLimit) {
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
