// POST /v1/organization/invitations (and the settings UI's invite form): one transaction with
// a fixed number of statements however many emails are invited.
import { getPrisma } from "@/lib/db";
import { badRequest } from "@/lib/errors";
import type { Invitation } from "@/lib/generated/prisma/client";
import { auditRow } from "@/lib/services/audit";
import { insertAuditRows, insertOutboxRows } from "@/lib/services/bulk-insert";
import type { ServiceContext } from "@/lib/services/context";
import { assertCan } from "@/lib/services/permissions";
import type { CreateInvitationsBody } from "@/lib/validation/invitations";
import { toInvitationDto } from "./dto";
import { normalizeEmails } from "./emails";
import { cancelQueuedEmails, invitationEmailRow } from "./outbox";
import {
  assertPlanAllowsInviting,
  assertSeatsAvailable,
  invitedBy,
  inviterName,
  resolveInvitationRole,
} from "./rules";
import { invitationExpiry, newInviteToken } from "./tokens";
import { lockOrganization } from "@/lib/services/organization-lock";
import { assertWithinLimits } from "@/lib/services/rate-limit";
import { invitationQuota } from "@/lib/services/throttles";

export type SkipReason = "ALREADY_MEMBER" | "ALREADY_INVITED";

export async function createInvitations(ctx: ServiceContext, input: CreateInvitationsBody) {
  await assertCan(ctx.actor, "user:manage");
  const { valid, invalid } = normalizeEmails(input.emails);
  if (invalid.length > 0) {
    throw badRequest(`Invalid email address${invalid.length > 1 ? "es" : ""}: ${invalid.join(", ")}`);
  }
  const organizationId = ctx.actor.organizationId;
  const now = new Date();
  const expiresAt = invitationExpiry(now);

  const result = await getPrisma().$transaction(
    async (tx) => {
      const org = await lockOrganization(tx, organizationId);
      const role = await resolveInvitationRole(tx, ctx.actor, input.organizationRoleId);
      assertPlanAllowsInviting(org, now);

      const members = await tx.$queryRaw<{ email: string }[]>`
        SELECT u.email FROM "Membership" m JOIN "User" u ON u.id = m."userId"
         WHERE m."organizationId" = ${organizationId} AND u.email = ANY(${valid})`;
      const open = await tx.invitation.findMany({
        where: { organizationId, email: { in: valid }, status: { in: ["PENDING", "DECLINED"] } },
      });
      const memberEmails = new Set(members.map((m) => m.email));
      const openByEmail = new Map(open.map((i) => [i.email, i]));

      const skipped: { email: string; reason: SkipReason }[] = [];
      const toCreate: string[] = [];
      const toRenew: Invitation[] = [];
      for (const email of valid) {
        const existing = openByEmail.get(email);
        if (memberEmails.has(email)) skipped.push({ email, reason: "ALREADY_MEMBER" });
        else if (existing?.status === "PENDING" && existing.expiresAt > now) skipped.push({ email, reason: "ALREADY_INVITED" });
        else if (existing) toRenew.push(existing);
        else toCreate.push(email);
      }
      await assertSeatsAvailable(tx, org, toCreate.length + toRenew.length, now);
      // Each invitation written is an email sent on the organization's behalf: the daily quota
      // counts them (and rolls back with the transaction when anything refuses).
      if (toCreate.length + toRenew.length > 0) await assertWithinLimits([invitationQuota(org)], toCreate.length + toRenew.length, tx);

      const inviter = invitedBy(ctx.actor);
      const createTokens = toCreate.map(() => newInviteToken());
      const created = toCreate.length
        ? await tx.$queryRaw<Invitation[]>`
            INSERT INTO "Invitation" ("organizationId", email, "roleId", "tokenHash", "expiresAt", "lastSentAt",
                                      "createdAt", "updatedAt", "invitedByUserId", "invitedByApiKeyId")
            SELECT ${organizationId}, v.email, ${role.id}::uuid, v.token_hash, ${expiresAt}, ${now}, ${now}, ${now},
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

      const facts = { organizationId, organizationName: org.name, inviterName: await inviterName(tx, ctx.actor), roleName: role.name };
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
            auditRow(ctx, "org.invitations.create", { type: "invitation", id: row.id }, {
              email: row.email,
              roleId: role.id,
              renewed: !created.includes(row),
            }),
          ),
        );
      }
      // Answer in the order the emails were given.
      const byEmail = new Map(written.map((row) => [row.email, row]));
      const ordered = valid.flatMap((email) => (byEmail.has(email) ? [byEmail.get(email)!] : []));
      return { invitations: ordered, skipped, tokens: tokenById };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );

  return {
    invitations: result.invitations.map(toInvitationDto),
    skipped: result.skipped,
    /** Raw link tokens by invitation id: only for the settings UI's one-time "copy link". */
    tokens: result.tokens,
  };
}
