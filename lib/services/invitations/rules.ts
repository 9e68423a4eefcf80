// The organization-level rules every invitation write checks: plan, role, seats. Each runs
// inside the caller's transaction, after the organization row is locked, so two concurrent
// requests cannot both pass a seat check that only one of them fits.
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { forbidden, notFound, unprocessable } from "@/lib/errors";
import type { Plan, Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/services/context";
import { permissionsOf } from "@/lib/services/permissions";

type Tx = Prisma.TransactionClient;

export interface LockedOrganization {
  id: string;
  name: string;
  plan: Plan;
  trialEndsAt: Date | null;
  seatLimit: number | null;
}

export async function lockOrganization(tx: Tx, organizationId: string): Promise<LockedOrganization> {
  const [org] = await tx.$queryRaw<LockedOrganization[]>`
    SELECT id, name, plan, "trialEndsAt", "seatLimit" FROM "Organization" WHERE id = ${organizationId} FOR UPDATE`;
  if (!org) throw notFound("Organization not found");
  return org;
}

export function assertPlanAllowsInviting(org: LockedOrganization, now: Date) {
  const trialOver = org.plan === "TRIAL" && org.trialEndsAt !== null && org.trialEndsAt <= now;
  if (org.plan === "FREE" || trialOver) {
    throw forbidden("Inviting members is not available on the Free plan outside of the trial period");
  }
}

/**
 * The role invitees get: the one asked for (system or this org's), or Member. Never Owner; and a
 * user may only hand out a role whose permissions are a subset of their own.
 */
export async function resolveInvitationRole(tx: Tx, actor: Actor, roleId: string | undefined) {
  const organizationId = actor.organizationId;
  const id = roleId ?? SYSTEM_ROLES.Member;
  if (id === SYSTEM_ROLES.Owner) {
    throw forbidden("The Owner role cannot be given by invitation; transfer ownership to a member instead");
  }
  const role = await tx.role.findFirst({
    where: { id, OR: [{ organizationId: null }, { organizationId }] },
    select: { id: true, name: true },
  });
  if (!role) throw unprocessable(`organizationRoleId ${id} is not a role of this organization`);
  if (actor.type === "user") await assertCanGrantRole(tx, actor, role.id);
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

/** Name shown as the inviter in the email: the user's name or email; null for an API key. */
export async function inviterName(tx: Tx, actor: { type: string; userId?: string }) {
  if (actor.type !== "user" || !actor.userId) return null;
  const user = await tx.user.findUnique({ where: { id: actor.userId }, select: { name: true, email: true } });
  return user ? (user.name ?? user.email) : null;
}

/** A user may only grant a role whose permissions they hold themselves. */
export async function assertCanGrantRole(tx: Tx, actor: Actor, roleId: string) {
  const [held, granted] = await Promise.all([
    permissionsOf(actor, tx),
    tx.$queryRaw<{ name: string }[]>`
      SELECT DISTINCT p.name FROM "RolePolicy" rp
        JOIN "PolicyPermission" pp ON pp."policyId" = rp."policyId"
        JOIN "Permission" p ON p.id = pp."permissionId"
       WHERE rp."roleId" = ${roleId}::uuid`,
  ]);
  const missing = granted.map((g) => g.name).filter((name) => !held.has(name));
  if (missing.length > 0) {
    throw forbidden(`You cannot grant a role with permissions you do not hold (${missing.join(", ")})`);
  }
}
