// The audit trail: every mutation records who did what to which target, in the same
// transaction as the change itself.
import "server-only";
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
  | "org.policies.delete"
  | "project.create"
  | "project.update"
  | "project.delete"
  | "project.apiKeys.create"
  | "project.apiKeys.update"
  | "project.apiKeys.delete"
  | "project.members.role.update"
  | "project.members.remove"
  | "project.invitations.create"
  | "project.invitations.resend"
  | "project.invitations.revoke"
  | "project.invitations.accept"
  | "project.invitations.decline"
  | "project.roles.create"
  | "project.roles.update"
  | "project.roles.delete"
  | "project.policies.create"
  | "project.policies.update"
  | "project.policies.delete"
  | "org.governance.create"
  | "org.governance.update"
  | "org.governance.delete"
  | "org.governance.assign"
  | "org.governance.unassign";

/** One audit event; `projectId` names the project it concerns (the audit page filters by it). */
export function auditRow(
  ctx: ServiceContext,
  action: AuditAction,
  target: { type: string; id: string | number },
  metadata?: Prisma.InputJsonValue,
  projectId?: string | null,
): Prisma.AuditEventCreateManyInput {
  return {
    organizationId: ctx.actor.organizationId,
    projectId: projectId ?? null,
    actorType: ctx.actor.type,
    actorId: actorId(ctx.actor),
    action,
    targetType: target.type,
    targetId: String(target.id),
    requestId: ctx.requestId,
    metadata,
  };
}
