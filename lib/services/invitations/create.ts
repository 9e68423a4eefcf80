// POST /v1/organization/invitations, POST /v1/projects/{id}/invitations and the settings UI's
// invite forms: one engine for both scopes, in two statements however many emails are invited —
// one read of every fact the decision needs, one guarded write (organization-lock.ts
// guardedWrite) that inserts the invitations, renews the expired or declined ones, queues their
// emails, audits them and counts them against the daily quota, or writes nothing at all.
import "server-only";
import { getPrisma } from "@/lib/db";
import { badRequest } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { auditRow } from "@/lib/services/audit";
import { auditInsertCte, cancelQueuedEmailsCte, outboxInsertCte } from "@/lib/services/bulk-insert";
import type { ServiceContext } from "@/lib/services/context";
import { Changed, guardedWrite, versionGuard } from "@/lib/services/organization-lock";
import { assertCan } from "@/lib/services/permissions";
import { countHitsCte } from "@/lib/services/rate-limit";
import type { AnyInvitationDto } from "@/lib/validation/invitations";
import { invitationDtoColumns } from "./dto";
import { normalizeEmails } from "./emails";
import { invitationEmailRow } from "./outbox";
import {
  assertInvitationRole, assertPlanAllowsInviting, assertQuotaAllows, assertSeatsFit, invitedBy, inviterNameSql,
  ORGANIZATION_FACTS, quotaUsageSql, roleFactsSql, seatUsageSql,
  type OrganizationFacts, type QuotaUsage, type RoleFacts, type SeatUsage,
} from "./rules";
import {
  inScopeSql, invitationAction, ORGANIZATION_SCOPE, requestedRoleId, resolveScope, type InvitationScope, type ResolvedScope,
} from "./scope";
import { invitationExpiry, newInviteToken } from "./tokens";

export type SkipReason = "ALREADY_MEMBER" | "ALREADY_INVITED";

export interface CreateInvitationsInput {
  emails: string[];
  /** The role field of the scope: organizationRoleId for the org, projectRoleId for a project. */
  organizationRoleId?: string;
  projectRoleId?: string;
}

type Db = Prisma.TransactionClient;

interface OpenInvitation {
  id: number;
  email: string;
  status: "PENDING" | "DECLINED";
  expiresAtMs: number;
}

interface InviteFacts extends OrganizationFacts {
  role: RoleFacts | null;
  inviterName: string | null;
  /** The given addresses that are already in: members of the organization, or of the project. */
  members: string[] | null;
  /** The scope's open (pending or declined) invitations to the given addresses. */
  open: OpenInvitation[] | null;
  /** Only read when the organization has a seat limit. */
  seats: SeatUsage | null;
  quota: QuotaUsage;
}

/** Everything the decision needs, in one statement. */
async function readInviteFacts(db: Db, ctx: ServiceContext, target: ResolvedScope, emails: string[], roleId: string, now: Date) {
  const members = target.projectId
    ? Prisma.sql`SELECT u.email FROM "ProjectMembership" pm JOIN "User" u ON u.id = pm."userId"
                  WHERE pm."projectId" = ${target.projectId} AND u.email = ANY(${emails}::text[])`
    : Prisma.sql`SELECT u.email FROM "Membership" m JOIN "User" u ON u.id = m."userId"
                  WHERE m."organizationId" = ${target.organizationId} AND u.email = ANY(${emails}::text[])`;
  const [facts] = await db.$queryRaw<InviteFacts[]>`/* prepared */
    SELECT ${ORGANIZATION_FACTS},
           ${roleFactsSql(target, roleId)} AS role,
           ${inviterNameSql(ctx.actor)} AS "inviterName",
           (SELECT array_agg(x.email) FROM (${members}) AS x) AS members,
           (SELECT json_agg(json_build_object('id', i.id, 'email', i.email, 'status', i.status,
                                              'expiresAtMs', extract(epoch FROM i."expiresAt") * 1000))
              FROM "Invitation" i
             WHERE i."organizationId" = o.id AND ${inScopeSql(target)}
               AND i.email = ANY(${emails}::text[]) AND i.status IN ('PENDING', 'DECLINED')) AS open,
           CASE WHEN o."seatLimit" IS NULL THEN NULL ELSE ${seatUsageSql(target.organizationId, now, emails)} END AS seats,
           ${quotaUsageSql(target.organizationId)} AS quota
      FROM "Organization" o WHERE o.id = ${target.organizationId}`;
  if (!facts) throw new Error(`Organization ${target.organizationId} of an authenticated actor is missing`);
  return facts;
}

export async function createInvitations(ctx: ServiceContext, input: CreateInvitationsInput, scope: InvitationScope = ORGANIZATION_SCOPE) {
  const target = await resolveScope(getPrisma(), ctx.actor, scope);
  await assertCan(target.subject, "user:manage");
  const { valid, invalid } = normalizeEmails(input.emails);
  if (invalid.length > 0) {
    throw badRequest(`Invalid email address${invalid.length > 1 ? "es" : ""}: ${invalid.join(", ")}`);
  }
  const roleId = requestedRoleId(target, input) ?? target.defaultRoleId;
  const result = await guardedWrite((db) => attemptCreate(db, ctx, target, valid, roleId), target.organizationId);
  return {
    invitations: result.invitations,
    skipped: result.skipped,
    /** Raw link tokens by invitation id: only for the settings UI's one-time "copy link". */
    tokens: result.tokens,
    /** Ids of the invitations that existed before (expired or declined) and were sent again. */
    renewedIds: result.renewedIds,
  };
}

async function attemptCreate(db: Db, ctx: ServiceContext, target: ResolvedScope, emails: string[], roleId: string) {
  const now = new Date();
  const facts = await readInviteFacts(db, ctx, target, emails, roleId, now);
  const role = await assertInvitationRole(db, target, roleId, facts.role);
  assertPlanAllowsInviting(facts, now);

  const members = new Set(facts.members ?? []);
  const openByEmail = new Map((facts.open ?? []).map((i) => [i.email, i]));
  const skipped: { email: string; reason: SkipReason }[] = [];
  const toCreate: string[] = [];
  const toRenew: OpenInvitation[] = [];
  for (const email of emails) {
    const existing = openByEmail.get(email);
    if (members.has(email)) skipped.push({ email, reason: "ALREADY_MEMBER" });
    else if (existing?.status === "PENDING" && existing.expiresAtMs > now.getTime()) skipped.push({ email, reason: "ALREADY_INVITED" });
    else if (existing) toRenew.push(existing);
    else toCreate.push(email);
  }
  const sending = toCreate.length + toRenew.length;
  // The seat count covered every given address; those skipped hold their seat already.
  assertSeatsFit(facts, facts.seats);
  const quota = assertQuotaAllows(facts, facts.quota, sending);
  const nothing = { invitations: [] as AnyInvitationDto[], skipped, tokens: new Map<number, string>(), renewedIds: new Set<number>() };
  if (sending === 0) return nothing;

  const expiresAt = invitationExpiry(now);
  const inviter = invitedBy(ctx.actor);
  const createTokens = toCreate.map(() => newInviteToken());
  const renewTokens = toRenew.map(() => newInviteToken());
  const tokenByEmail = new Map([
    ...toCreate.map((email, i) => [email, createTokens[i]!.token] as const),
    ...toRenew.map((row, i) => [row.email, renewTokens[i]!.token] as const),
  ]);
  const sent = [...toCreate, ...toRenew.map((r) => r.email)];
  const renewing = new Set(toRenew.map((r) => r.email));
  const emailFacts = {
    organizationId: target.organizationId,
    organizationName: facts.name,
    projectName: target.projectName,
    inviterName: facts.inviterName,
    roleName: role.name,
  };
  const link = { from: "written", emails: sent };
  const rows = await db.$queryRaw<AnyInvitationDto[]>`/* prepared */
    WITH ${versionGuard(target.organizationId, facts.writeVersion)},
    created AS (
      INSERT INTO "Invitation" ("organizationId", "projectId", email, "roleId", "tokenHash", "expiresAt", "lastSentAt",
                                "createdAt", "updatedAt", "invitedByUserId", "invitedByApiKeyId")
      SELECT ${target.organizationId}, ${target.projectId}, v.email, ${role.id}::uuid, v.token_hash, ${expiresAt}, ${now}, ${now}, ${now},
             ${inviter.invitedByUserId}, ${inviter.invitedByApiKeyId}::int
        FROM guard, unnest(${toCreate}::text[], ${createTokens.map((t) => t.tokenHash)}::text[]) AS v(email, token_hash)
      RETURNING *
    ), renewed AS (
      UPDATE "Invitation" AS i
         SET status = 'PENDING', "tokenHash" = v.token_hash, "expiresAt" = ${expiresAt},
             "lastSentAt" = ${now}, "roleId" = ${role.id}::uuid, "emailStatus" = 'QUEUED',
             "respondedAt" = NULL, "updatedAt" = ${now},
             "invitedByUserId" = ${inviter.invitedByUserId}, "invitedByApiKeyId" = ${inviter.invitedByApiKeyId}::int
        FROM guard, unnest(${toRenew.map((r) => r.id)}::int[], ${renewTokens.map((t) => t.tokenHash)}::text[]) AS v(id, token_hash)
       WHERE i.id = v.id
      RETURNING i.*
    ), written AS (
      SELECT * FROM created UNION ALL SELECT * FROM renewed
    ), ${cancelQueuedEmailsCte("cancelled", "renewed")},
    ${outboxInsertCte(
      "mail",
      sent.map((email) => invitationEmailRow(emailFacts, { id: null, email, expiresAt }, tokenByEmail.get(email)!)),
      link,
    )},
    ${auditInsertCte(
      "audit",
      sent.map((email) =>
        auditRow(ctx, invitationAction(target, "create"), { type: "invitation", id: "" },
          { email, roleId: role.id, renewed: renewing.has(email) }, target.projectId),
      ),
      link,
    )},
    ${countHitsCte("quota", quota, sending)}
    SELECT ${invitationDtoColumns(target, "w")} FROM written w`;
  // With the guard passed every CTE wrote all its rows (every write that changes invitations bumps
  // writeVersion, so the rows read are the rows written); no rows means the guard refused.
  if (rows.length !== sending) return new Changed(target.organizationId);

  // Answer in the order the emails were given.
  const byEmail = new Map(rows.map((row) => [row.email, row]));
  const ordered = emails.flatMap((email) => (byEmail.has(email) ? [byEmail.get(email)!] : []));
  return {
    invitations: ordered,
    skipped,
    tokens: new Map(rows.map((row) => [row.id, tokenByEmail.get(row.email)!])),
    renewedIds: new Set(rows.filter((row) => renewing.has(row.email)).map((row) => row.id)),
  };
}
