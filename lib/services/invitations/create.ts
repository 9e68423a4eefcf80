// POST /v1/organization/invitations, POST /v1/projects/{id}/invitations and the settings UI's
// invite forms: one engine for both scopes, one transaction with a fixed number of statements
// however many emails are invited.
import "server-only";
import { getPrisma } from "@/lib/db";
import { badRequest } from "@/lib/errors";
import type { Invitation, Prisma } from "@/lib/generated/prisma/client";
import { auditRow } from "@/lib/services/audit";
import { insertAuditRows, insertOutboxRows } from "@/lib/services/bulk-insert";
import type { ServiceContext } from "@/lib/services/context";
import { orgTransaction } from "@/lib/services/organization-lock";
import { assertCan } from "@/lib/services/permissions";
import { assertWithinLimits } from "@/lib/services/rate-limit";
import { invitationQuota } from "@/lib/services/throttles";
import { toInvitationDto } from "./dto";
import { normalizeEmails } from "./emails";
import { cancelQueuedEmails, invitationEmailRow } from "./outbox";
import { assertPlanAllowsInviting, assertSeatsFor, invitedBy, inviterName, resolveInvitationRole } from "./rules";
import { invitationAction, ORGANIZATION_SCOPE, requestedRoleId, resolveScope, type InvitationScope, type ResolvedScope } from "./scope";
import { invitationExpiry, newInviteToken } from "./tokens";

export type SkipReason = "ALREADY_MEMBER" | "ALREADY_INVITED";

export interface CreateInvitationsInput {
  emails: string[];
  /** The role field of the scope: organizationRoleId for the org, projectRoleId for a project. */
  organizationRoleId?: string;
  projectRoleId?: string;
}

type Tx = Prisma.TransactionClient;

/** Addresses that are already in: members of the organization, or of the project. */
async function memberEmails(tx: Tx, target: ResolvedScope, emails: string[]): Promise<Set<string>> {
  const rows = target.projectId
    ? await tx.$queryRaw<{ email: string }[]>`
        SELECT u.email FROM "ProjectMembership" pm JOIN "User" u ON u.id = pm."userId"
         WHERE pm."projectId" = ${target.projectId} AND u.email = ANY(${emails})`
    : await tx.$queryRaw<{ email: string }[]>`
        SELECT u.email FROM "Membership" m JOIN "User" u ON u.id = m."userId"
         WHERE m."organizationId" = ${target.organizationId} AND u.email = ANY(${emails})`;
  return new Set(rows.map((r) => r.email));
}

export async function createInvitations(ctx: ServiceContext, input: CreateInvitationsInput, scope: InvitationScope = ORGANIZATION_SCOPE) {
  const target = await resolveScope(getPrisma(), ctx.actor, scope);
  await assertCan(target.subject, "user:manage");
  const { valid, invalid } = normalizeEmails(input.emails);
  if (invalid.length > 0) {
    throw badRequest(`Invalid email address${invalid.length > 1 ? "es" : ""}: ${invalid.join(", ")}`);
  }
  const { organizationId, projectId } = target;
  const now = new Date();
  const expiresAt = invitationExpiry(now);

  const result = await orgTransaction(organizationId, async (tx, org) => {
      const role = await resolveInvitationRole(tx, target, requestedRoleId(target, input));
      assertPlanAllowsInviting(org, now);

      const members = await memberEmails(tx, target, valid);
      const open = await tx.invitation.findMany({
        where: { organizationId, projectId, email: { in: valid }, status: { in: ["PENDING", "DECLINED"] } },
      });
      const openByEmail = new Map(open.map((i) => [i.email, i]));

      const skipped: { email: string; reason: SkipReason }[] = [];
      const toCreate: string[] = [];
      const toRenew: Invitation[] = [];
      for (const email of valid) {
        const existing = openByEmail.get(email);
        if (members.has(email)) skipped.push({ email, reason: "ALREADY_MEMBER" });
        else if (existing?.status === "PENDING" && existing.expiresAt > now) skipped.push({ email, reason: "ALREADY_INVITED" });
        else if (existing) toRenew.push(existing);
        else toCreate.push(email);
      }
      const sending = toCreate.length + toRenew.length;
      await assertSeatsFor(tx, org, [...toCreate, ...toRenew.map((r) => r.email)], now);
      // Each invitation written is an email sent on the organization's behalf: the daily quota
      // counts them (and rolls back with the transaction when anything refuses).
      if (sending > 0) await assertWithinLimits([invitationQuota(org)], sending, tx);

      const inviter = invitedBy(ctx.actor);
      const createTokens = toCreate.map(() => newInviteToken());
      const created = toCreate.length
        ? await tx.$queryRaw<Invitation[]>`
            INSERT INTO "Invitation" ("organizationId", "projectId", email, "roleId", "tokenHash", "expiresAt", "lastSentAt",
                                      "createdAt", "updatedAt", "invitedByUserId", "invitedByApiKeyId")
            SELECT ${organizationId}, ${projectId}, v.email, ${role.id}::uuid, v.token_hash, ${expiresAt}, ${now}, ${now}, ${now},
                   ${inviter.invitedByUserId}, ${inviter.invitedByApiKeyId}::int
              FROM unnest(${toCreate}::text[], ${createTokens.map((t) => t.tokenHash)}::text[]) AS v(email, token_hash)
         RETURNING *`
        : [];

      const renewTokens = toRenew.map(() => newInviteToken());
      const renewed = toRenew.length
        ? await tx.$queryRaw<Invitation[]>`
            UPDATE "Invitation" AS i
               SET status = 'PENDING', "tokenHash" = v.token_hash, "expiresAt" = ${expiresAt},
                   "lastSentAt" = ${now}, "roleId" = ${role.id}::uuid, "emailStatus" = 'QUEUED',
                   "respondedAt" = NULL, "updatedAt" = ${now},
                   "invitedByUserId" = ${inviter.invitedByUserId},
                   "invitedByApiKeyId" = ${inviter.invitedByApiKeyId}::int
              FROM unnest(${toRenew.map((r) => r.id)}::int[], ${renewTokens.map((t) => t.tokenHash)}::text[])
                   AS v(id, token_hash)
             WHERE i.id = v.id
         RETURNING i.*`
        : [];
      if (renewed.length) await cancelQueuedEmails(tx, renewed.map((r) => r.id));

      const facts = {
        organizationId,
        organizationName: org.name,
        projectName: target.projectName,
        inviterName: await inviterName(tx, ctx.actor),
        roleName: role.name,
      };
      // RETURNING does not promise input order: match tokens by their hash.
      const tokenByHash = new Map(createTokens.map((t) => [t.tokenHash, t.token]));
      const tokenById = new Map<number, string>([
        ...created.map((row) => [row.id, tokenByHash.get(row.tokenHash)!] as const),
        ...toRenew.map((row, i) => [row.id, renewTokens[i]!.token] as const),
      ]);
      const written = [...created, ...renewed];
      if (written.length) {
        await insertOutboxRows(tx, written.map((row) => invitationEmailRow(facts, row, tokenById.get(row.id)!)));
        await insertAuditRows(
          tx,
          written.map((row) =>
            auditRow(
              ctx,
              invitationAction(target, "create"),
              { type: "invitation", id: row.id },
              { email: row.email, roleId: role.id, renewed: !created.includes(row) },
              projectId,
            ),
          ),
        );
      }
      // Answer in the order the emails were given.
      const byEmail = new Map(written.map((row) => [row.email, row]));
      const ordered = valid.flatMap((email) => (byEmail.has(email) ? [byEmail.get(email)!] : []));
      const renewedIds = new Set(renewed.map((row) => row.id));
      return { invitations: ordered, skipped, tokens: tokenById, renewedIds };
  });

  return {
    invitations: result.invitations.map(toInvitationDto),
    skipped: result.skipped,
    /** Raw link tokens by invitation id: only for the settings UI's one-time "copy link". */
    tokens: result.tokens,
    /** Ids of the invitations that existed before (expired or declined) and were sent again. */
    renewedIds: result.renewedIds,
  };
}
