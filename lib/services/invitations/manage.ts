// Resending and revoking invitations, of the organization or of one project, each in two
// statements: one read of the invitation and every fact the decision needs, one guarded write
// (organization-lock.ts guardedWrite). An invitation of another organization — or of another
// scope (a project's on the org path, the org's or another project's on a project path) — is
// indistinguishable from a missing one (404), and revoked ones no longer exist to callers.
import "server-only";
import { getPrisma } from "@/lib/db";
import { env } from "@/lib/env";
import { conflict, notFound, rateLimited } from "@/lib/errors";
import { Prisma, type Invitation } from "@/lib/generated/prisma/client";
import { auditRow } from "@/lib/services/audit";
import { auditInsertCte, cancelQueuedEmailsCte, outboxInsertCte } from "@/lib/services/bulk-insert";
import type { ServiceContext } from "@/lib/services/context";
import { Changed, guardedWrite, versionGuard } from "@/lib/services/organization-lock";
import { assertCan, assertHoldsAll, rolePermissionsSql } from "@/lib/services/permissions";
import { countHitsCte } from "@/lib/services/rate-limit";
import type { AnyInvitationDto } from "@/lib/validation/invitations";
import { invitationDtoColumns } from "./dto";
import { invitationEmailRow } from "./outbox";
import {
  assertQuotaAllows, assertSeatsFit, inviterNameSql, ORGANIZATION_FACTS, quotaUsageSql, seatUsageSql,
  type OrganizationFacts, type QuotaUsage, type SeatUsage,
} from "./rules";
import { inScopeSql, invitationAction, ORGANIZATION_SCOPE, resolveScope, type InvitationScope, type ResolvedScope } from "./scope";
import { invitationExpiry, newInviteToken } from "./tokens";

type Db = Prisma.TransactionClient;

interface InvitationFacts {
  id: number;
  email: string;
  status: Invitation["status"];
  roleId: string;
  roleName: string;
  /** What the invitation's role grants: acting on the invitation is acting on that role. */
  rolePermissions: string[];
  lastSentAtMs: number;
  expiresAtMs: number;
}

interface ManageFacts extends OrganizationFacts {
  invitation: InvitationFacts | null;
  inviterName: string | null;
  /** Seats, with the invitation's address as the one being added (read when there is a seat limit). */
  seats: SeatUsage | null;
  quota: QuotaUsage;
}

/** The invitation (of this scope, not revoked) and the organization facts, in one statement. */
async function readManageFacts(db: Db, ctx: ServiceContext, target: ResolvedScope, id: number, now: Date) {
  const [facts] = await db.$queryRaw<ManageFacts[]>`/* prepared */
    WITH inv AS (
      SELECT i.* FROM "Invitation" i
       WHERE i.id = ${id} AND i."organizationId" = ${target.organizationId} AND ${inScopeSql(target)} AND i.status <> 'REVOKED'
    )
    SELECT ${ORGANIZATION_FACTS},
           (SELECT json_build_object('id', inv.id, 'email', inv.email, 'status', inv.status, 'roleId', inv."roleId",
                                     'roleName', r.name, 'rolePermissions', ${rolePermissionsSql(Prisma.sql`inv."roleId"`)},
                                     'lastSentAtMs', extract(epoch FROM inv."lastSentAt") * 1000,
                                     'expiresAtMs', extract(epoch FROM inv."expiresAt") * 1000)
              FROM inv JOIN "Role" r ON r.id = inv."roleId") AS invitation,
           ${inviterNameSql(ctx.actor)} AS "inviterName",
           CASE WHEN o."seatLimit" IS NULL THEN NULL
                ELSE ${seatUsageSql(target.organizationId, now, Prisma.sql`ARRAY(SELECT email FROM inv)`)} END AS seats,
           ${quotaUsageSql(target.organizationId)} AS quota
      FROM "Organization" o WHERE o.id = ${target.organizationId}`;
  if (!facts) throw new Error(`Organization ${target.organizationId} of an authenticated actor is missing`);
  if (!facts.invitation) throw notFound(`Invitation ${id} not found`);
  return { ...facts, invitation: facts.invitation };
}

/** Sends the invitation again with a new link (the old one stops working) and a new expiry. */
export async function resendInvitation(ctx: ServiceContext, id: number, scope: InvitationScope = ORGANIZATION_SCOPE) {
  const target = await resolveScope(getPrisma(), ctx.actor, scope);
  await assertCan(target.subject, "user:manage");
  return guardedWrite((db) => attemptResend(db, ctx, target, id), target.organizationId);
}

async function attemptResend(db: Db, ctx: ServiceContext, target: ResolvedScope, id: number) {
  const now = new Date();
  const facts = await readManageFacts(db, ctx, target, id, now);
  const { invitation } = facts;
  if (invitation.status !== "PENDING") {
    throw conflict(`Invitation ${id} is ${invitation.status.toLowerCase()}; only pending invitations can be resent`);
  }
  // Sending it again hands out its role anew: the grant ceiling applies as at creation.
  await assertHoldsAll(target.subject, invitation.rolePermissions, "You cannot grant a role with permissions you do not hold", db);
  const cooldownMs = env().INVITATION_RESEND_COOLDOWN_SECONDS * 1000;
  const waitMs = invitation.lastSentAtMs + cooldownMs - now.getTime();
  if (waitMs > 0) {
    const seconds = Math.ceil(waitMs / 1000);
    throw rateLimited(`Invitation ${id} was sent recently; it can be resent in ${seconds} s`, seconds);
  }
  // An expired invitation holds no seat; sending it again takes one (unless the address holds one).
  if (invitation.expiresAtMs <= now.getTime()) assertSeatsFit(facts, facts.seats);
  const quota = assertQuotaAllows(facts, facts.quota, 1);

  const { token, tokenHash } = newInviteToken();
  const expiresAt = invitationExpiry(now);
  const mail = invitationEmailRow(
    {
      organizationId: target.organizationId,
      organizationName: facts.name,
      projectName: target.projectName,
      inviterName: facts.inviterName,
      roleName: invitation.roleName,
    },
    { id, email: invitation.email, expiresAt },
    token,
  );
  const [updated] = await db.$queryRaw<AnyInvitationDto[]>`/* prepared */
    WITH ${versionGuard(target.organizationId, facts.writeVersion)},
    updated AS (
      UPDATE "Invitation" AS i
         SET "tokenHash" = ${tokenHash}, "expiresAt" = ${expiresAt}, "lastSentAt" = ${now}, "emailStatus" = 'QUEUED', "updatedAt" = ${now}
        FROM guard WHERE i.id = ${id}
      RETURNING i.*
    ), ${cancelQueuedEmailsCte("cancelled", "updated")},
    ${outboxInsertCte("mail", [mail])},
    ${auditInsertCte("audit", [auditRow(ctx, invitationAction(target, "resend"), { type: "invitation", id }, undefined, target.projectId)])},
    ${countHitsCte("quota", quota, 1)}
    SELECT ${invitationDtoColumns(target, "u")} FROM updated u`;
  if (!updated) return new Changed(target.organizationId);
  return { invitation: updated, token };
}

/** Revokes a pending or declined invitation: kept as REVOKED for the audit trail, hidden otherwise. */
export async function revokeInvitation(ctx: ServiceContext, id: number, scope: InvitationScope = ORGANIZATION_SCOPE) {
  const target = await resolveScope(getPrisma(), ctx.actor, scope);
  await assertCan(target.subject, "user:manage");
  return guardedWrite((db) => attemptRevoke(db, ctx, target, id), target.organizationId);
}

async function attemptRevoke(db: Db, ctx: ServiceContext, target: ResolvedScope, id: number) {
  const now = new Date();
  const facts = await readManageFacts(db, ctx, target, id, now);
  const { invitation } = facts;
  if (invitation.status === "ACCEPTED") {
    throw conflict(`Invitation ${id} was already accepted; remove the member instead`);
  }
  // Withdrawing a pending grant is acting on it: a weaker role cannot revoke a stronger one's.
  await assertHoldsAll(
    target.subject,
    invitation.rolePermissions,
    "You cannot revoke an invitation to a role that holds permissions you do not hold",
    db,
  );
  const [revoked] = await db.$queryRaw<{ id: number }[]>`/* prepared */
    WITH ${versionGuard(target.organizationId, facts.writeVersion)},
    revoked AS (
      UPDATE "Invitation" AS i SET status = 'REVOKED', "revokedAt" = ${now}, "updatedAt" = ${now}
        FROM guard WHERE i.id = ${id}
      RETURNING i.id
    ), ${cancelQueuedEmailsCte("cancelled", "revoked")},
    ${auditInsertCte("audit", [auditRow(ctx, invitationAction(target, "revoke"), { type: "invitation", id }, undefined, target.projectId)])}
    SELECT id FROM revoked`;
  if (!revoked) return new Changed(target.organizationId);
  return { id, deleted: true as const };
}
