import type { Invitation } from "@/lib/generated/prisma/client";
import type { InvitationDto } from "@/lib/validation/invitations";

/** The contract's Invitation shape; only PENDING and DECLINED ones are ever listed or returned. */
export function toInvitationDto(row: Invitation): InvitationDto {
  return {
    id: row.id,
    email: row.email,
    status: row.status === "REVOKED" ? "DECLINED" : row.status,
    created_at: row.createdAt.toISOString(),
    organizationRoleId: row.roleId,
    expires_at: row.expiresAt.toISOString(),
    last_sent_at: row.lastSentAt.toISOString(),
    email_status: row.emailStatus,
  };
}
