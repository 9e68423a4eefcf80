import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { AnyInvitationDto } from "@/lib/validation/invitations";

const ISO_UTC = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';

/**
 * The same shape as select-list columns of an "Invitation" row (alias), for answers built
 * straight from SQL: no Date objects and no row mapping per invitation, which cost more than the
 * query for long lists and large batches. Only PENDING and DECLINED rows are selected this way.
 */
export function invitationDtoColumns(scope: { projectId: string | null }, alias: string): Prisma.Sql {
  const a = (column: string) => Prisma.raw(`${alias}."${column}"`);
  const roleField = Prisma.raw(scope.projectId ? '"projectRoleId"' : '"organizationRoleId"');
  return Prisma.sql`${a("id")}, ${a("email")}, ${a("status")}::text AS status, to_char(${a("createdAt")}, ${ISO_UTC}) AS created_at,
           ${a("roleId")}::text AS ${roleField}, to_char(${a("expiresAt")}, ${ISO_UTC}) AS expires_at,
           to_char(${a("lastSentAt")}, ${ISO_UTC}) AS last_sent_at, ${a("emailStatus")}::text AS email_status`;
}

/** A pending invitation past its expiry: still listed (it can be resent), no longer usable. */
export function isExpired(invitation: Pick<AnyInvitationDto, "status" | "expires_at">, now: Date): boolean {
  return invitation.status === "PENDING" && new Date(invitation.expires_at) <= now;
}
