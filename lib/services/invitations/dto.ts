import "server-only";
import { Prisma, type Invitation } from "@/lib/generated/prisma/client";
import type { AnyInvitationDto } from "@/lib/validation/invitations";

/**
 * The contract's Invitation shape; only PENDING and DECLINED ones are ever listed or returned. A
 * project invitation names its role `projectRoleId`, an organization one `organizationRoleId`.
 */
export function toInvitationDto(row: Invitation): AnyInvitationDto {
  const common = {
    id: row.id,
    email: row.email,
    status: row.status === "REVOKED" ? ("DECLINED" as const) : row.status,
    created_at: row.createdAt.toISOString(),
    expires_at: row.expiresAt.toISOString(),
    last_sent_at: row.lastSentAt.toISOString(),
    email_status: row.emailStatus,
  };
  return row.projectId ? { ...common, projectRoleId: row.roleId } : { ...common, organizationRoleId: row.roleId };
}

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
