// The rules every invitation write checks, whatever its scope: plan, role, seats, the daily
// quota. The facts they need are read by the write's one read statement (the SQL fragments
// here); the write statement then applies only if the organization did not change since
// (organization-lock.ts guardedWrite), so two concurrent requests cannot both pass a seat check
// that only one of them fits.
import "server-only";
import { forbidden, unprocessable } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { actingUserId, type Actor } from "@/lib/services/context";
import { assertHoldsAll, rolePermissionsSql } from "@/lib/services/permissions";
import { exceededBy, refusalOf, windowUsageSql } from "@/lib/services/rate-limit";
import { invitationQuota, invitationQuotaWindow } from "@/lib/services/throttles";
import type { LockedOrganization } from "@/lib/services/organization-lock";
import type { ResolvedScope } from "./scope";

type Tx = Prisma.TransactionClient;

/** The organization as an invitation write's read sees it: the columns lockOrganization answers. */
export type OrganizationFacts = LockedOrganization;

/** The Organization columns of OrganizationFacts, for a read statement FROM "Organization" o. */
export const ORGANIZATION_FACTS = Prisma.sql`o.id, o.name, o.plan::text AS plan, o."trialEndsAt", o."seatLimit", o."writeVersion"`;

export function assertPlanAllowsInviting(org: Pick<OrganizationFacts, "plan" | "trialEndsAt">, now: Date) {
  const trialOver = org.plan === "TRIAL" && org.trialEndsAt !== null && org.trialEndsAt <= now;
  if (org.plan === "FREE" || trialOver) {
    throw forbidden("Inviting members is not available on the Free plan outside of the trial period");
  }
}

export interface RoleFacts {
  id: string;
  name: string;
  permissions: string[];
}

/** A subquery: the role `roleId` if it is one of the scope's (system or its own), with its permissions; else null. */
export function roleFactsSql(target: ResolvedScope, roleId: string): Prisma.Sql {
  const inScope = target.projectId
    ? Prisma.sql`r.scope = 'PROJECT' AND (r."projectId" IS NULL OR r."projectId" = ${target.projectId})`
    : Prisma.sql`r.scope = 'ORGANIZATION' AND (r."organizationId" IS NULL OR r."organizationId" = ${target.organizationId})`;
  return Prisma.sql`(
    SELECT json_build_object('id', r.id, 'name', r.name, 'permissions', ${rolePermissionsSql(Prisma.sql`r.id`)})
      FROM "Role" r WHERE r.id = ${roleId}::uuid AND ${inScope})`;
}

/**
 * The role an invitation gives: the one asked for (a system or custom role of the scope, read as
 * `role`), never the Owner; and the actor (a user, or a key acting as its creator) may only hand
 * out a role whose permissions it holds in that scope.
 */
export async function assertInvitationRole(db: Tx, target: ResolvedScope, roleId: string, role: RoleFacts | null): Promise<RoleFacts> {
  if (roleId === target.ownerRoleId) {
    throw forbidden("The Owner role cannot be given by invitation; transfer ownership to a member instead");
  }
  const field = target.projectId ? "projectRoleId" : "organizationRoleId";
  if (!role) throw unprocessable(`${field} ${roleId} is not a role of this ${target.projectId ? "project" : "organization"}`);
  await assertHoldsAll(target.subject, role.permissions, "You cannot grant a role with permissions you do not hold", db);
  return role;
}

export interface SeatUsage {
  /** Members plus the distinct non-member addresses holding a live pending invitation (org or project). */
  used: number;
  /** How many of the given addresses would take a seat they do not hold yet. */
  adding: number;
}

/**
 * The one seat count, as a subquery answering {used, adding}: an organization's members, plus
 * every address that is not a member but holds a live pending invitation — to the organization
 * or to one of its projects, counted once.
 */
export function seatUsageSql(organizationId: string | Prisma.Sql, now: Date, emails: string[] | Prisma.Sql = []): Prisma.Sql {
  const addresses = Array.isArray(emails) ? Prisma.sql`${emails}::text[]` : emails;
  return Prisma.sql`(
    WITH member_emails AS (
      SELECT u.email FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE m."organizationId" = ${organizationId}
    ), invited AS (
      SELECT DISTINCT i.email FROM "Invitation" i
       WHERE i."organizationId" = ${organizationId} AND i.status = 'PENDING' AND i."expiresAt" > ${now}
         AND i.email NOT IN (SELECT email FROM member_emails)
    )
    SELECT json_build_object(
      'used', (SELECT count(*) FROM member_emails) + (SELECT count(*) FROM invited),
      'adding', (SELECT count(DISTINCT e.email) FROM unnest(${addresses}) AS e(email)
                  WHERE e.email NOT IN (SELECT email FROM member_emails) AND e.email NOT IN (SELECT email FROM invited))))`;
}

export async function seatUsage(tx: Tx, organizationId: string, now: Date, emails: string[] = []): Promise<SeatUsage> {
  const [row] = await tx.$queryRaw<{ usage: SeatUsage }[]>`SELECT ${seatUsageSql(organizationId, now, emails)} AS usage`;
  return { used: Number(row?.usage.used ?? 0), adding: Number(row?.usage.adding ?? 0) };
}

/** The addresses may be invited only if the seats they would newly take fit the org's limit. */
export function assertSeatsFit(org: Pick<OrganizationFacts, "seatLimit">, usage: SeatUsage | null) {
  if (org.seatLimit === null || !usage) return;
  const used = Number(usage.used);
  const adding = Number(usage.adding);
  if (adding > 0 && used + adding > org.seatLimit) {
    throw forbidden(
      `Seat limit reached: ${used} of ${org.seatLimit} seats are used by members and pending invitations; ` +
        `${adding} more would exceed it`,
    );
  }
}

export interface QuotaUsage {
  used: number;
  reset: number;
}

/** A subquery answering {used, reset} of the organization's daily invitation quota. */
export function quotaUsageSql(organizationId: string): Prisma.Sql {
  const { key, windowSeconds } = invitationQuotaWindow(organizationId);
  return windowUsageSql(key, windowSeconds);
}

/**
 * Each invitation written is an email sent on the organization's behalf: `sending` more must fit
 * the daily quota. Returns the limit, for the write statement to count them.
 */
export function assertQuotaAllows(org: Pick<OrganizationFacts, "id" | "plan">, usage: QuotaUsage, sending: number) {
  const limit = invitationQuota(org);
  const exceeded = sending > 0 ? exceededBy(limit, Number(usage.used), sending, Number(usage.reset)) : null;
  if (exceeded) throw refusalOf(exceeded);
  return limit;
}

/** Who invites, as stored on the invitation: the key (if any) and the user it acts for. */
export function invitedBy(actor: Actor) {
  return {
    invitedByUserId: actingUserId(actor),
    invitedByApiKeyId: actor.type === "apiKey" ? actor.apiKeyId : null,
  };
}

/** A subquery: the name shown as the inviter in the email — the acting user's name or email; null for an operator key. */
export function inviterNameSql(actor: Actor): Prisma.Sql {
  return Prisma.sql`(SELECT coalesce(u.name, u.email) FROM "User" u WHERE u.id = ${actingUserId(actor)})`;
}
