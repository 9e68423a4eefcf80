// The audit trail: every mutation records who did what to which target, in the same
// transaction as the change itself.
import type { Prisma } from "@/lib/generated/prisma/client";
import { actorId, type ServiceContext } from "./context";

export type AuditAction =
  | "org.update"
  | "org.invitations.create"
  | "org.invitations.resend"
  | "org.invitations.revoke"
  | "org.invitations.accept"
  | "org.invitations.decline"
  | "org.members.role.update"
  | "org.members.remove"
  | "org.apiKeys.create"
  | "org.apiKeys.update"
  | "org.apiKeys.delete"
  | "org.roles.create"
  | "org.roles.update"
  | "org.roles.delete"
  | "org.policies.create"
  | "org.policies.update"
  | "org.policies.delete";

export function auditRow(
  ctx: ServiceContext,
  action: AuditAction,
  target: { type: string; id: string | number },
  metadata?: Prisma.InputJsonValue,
): Prisma.AuditEventCreateManyInput {
  return {
    organizationId: ctx.actor.organizationId,
    actorType: ctx.actor.type,
    actorId: actorId(ctx.actor),
    action,
    targetType: target.type,
    targetId: String(target.id),
    requestId: ctx.requestId,
    metadata,
  };
}
