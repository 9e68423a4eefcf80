import "server-only";
import type { Invitation } from "@/lib/generated/prisma/client";
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

/** A pending invitation past its expiry: still listed (it can be resent), no longer usable. */
export function isExpired(invitation: Pick<AnyInvitationDto, "status" | "expires_at">, now: Date): boolean {
  return invitation.status === "PENDING" && new Date(invitation.expires_at) <= now;
}
