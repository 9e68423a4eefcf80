// Members of a project: list, change project role (including project ownership transfer), leave
// the project. The rules are the organization's (lib/services/members.ts) with the project
// principal as the subject of every check: an org `project:manage` holder acts as the project's
// Owner, anyone else with their project role, and a project the actor cannot see is a 404.
// Every write locks the organization row first (as org member changes and invitations do), so
// concurrent changes run one after the other and a project keeps at most one Owner (a partial
// unique index backs this up in the database).
import "server-only";
import { getPrisma } from "@/lib/db";
import { PROJECT_ROLES } from "@/lib/db/system-roles";
import { conflict, forbidden, notFound, unprocessable } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ListMembersQuery, UpdateMemberBody } from "@/lib/validation/members";
import type { ProjectMemberDto } from "@/lib/validation/project-iam";
import { auditRow } from "../audit";
import type { ServiceContext } from "../context";
import { systemOrProjectOwn } from "../iam";
import { cancelQueuedEmails } from "../invitations/outbox";
import { orgTransaction } from "../organization-lock";
import { assertActsAsOwner, assertCan, assertCanActOnRole, assertCanGrantRole, assertNotOwner } from "../permissions";
import { projectPrincipalOrThrow } from "./access";

type Tx = Prisma.TransactionClient;

const memberInclude = {
  user: { select: { id: true, email: true, name: true, image: true } },
  role: { select: { id: true, name: true } },
} as const;
type ProjectMembershipRow = Prisma.ProjectMembershipGetPayload<{ include: typeof memberInclude }>;

function toProjectMemberDto(row: ProjectMembershipRow): ProjectMemberDto {
  return {
    id: row.user.id,
    email: row.user.email,
    name: row.user.name,
    image: row.user.image,
    projectRole: row.role ? { id: row.role.id, name: row.role.name } : null,
  };
}

export async function listProjectMembers(ctx: ServiceContext, projectId: string, query: ListMembersQuery) {
  const prisma = getPrisma();
  const { project, principal } = await projectPrincipalOrThrow(prisma, ctx.actor, projectId);
  await assertCan(principal, "user:read");
  const where = { projectId: project.id };
  const [rows, total] = await Promise.all([
    prisma.projectMembership.findMany({
      where,
      include: memberInclude,
      orderBy: [{ joinedAt: "asc" }, { userId: "asc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
    prisma.projectMembership.count({ where }),
  ]);
  return { members: rows.map(toProjectMemberDto), total };
}

/** Resolves the actor in the project inside a transaction that locked the organization first. */
function lockedProject(tx: Tx, ctx: ServiceContext, projectId: string) {
  return projectPrincipalOrThrow(tx, ctx.actor, projectId);
}

async function findProjectMember(tx: Tx, projectId: string, userId: string) {
  const row = await tx.projectMembership.findUnique({
    where: { projectId_userId: { projectId, userId } },
    include: memberInclude,
  });
  if (!row) throw notFound(`Member ${userId} not found in this project`);
  return row;
}

/**
 * Changes a member's project role. The actor needs project user:manage, every permission of the
 * new role and of the member's current one (grant ceiling); the project Owner's own role cannot
 * change, and only the project Owner (or an org project:manage holder) gives Owner, which
 * transfers project ownership (the previous Owner becomes Manager).
 */
export async function updateProjectMemberRole(
  ctx: ServiceContext,
  projectId: string,
  userId: string,
  input: UpdateMemberBody,
): Promise<ProjectMemberDto> {
  const row = await orgTransaction(ctx.actor.organizationId, async (tx) => {
    const { project, principal } = await lockedProject(tx, ctx, projectId);
    await assertCan(principal, "user:manage", tx);
    const member = await findProjectMember(tx, project.id, userId);
    const role = await tx.role.findFirst({
      where: { id: input.roleId, ...systemOrProjectOwn(project.id) },
      select: { id: true },
    });
    if (!role) throw unprocessable(`roleId ${input.roleId} is not a role of this project`);
    if (member.roleId === role.id) return member;

    assertNotOwner(member.roleId, () =>
      conflict("The project Owner's role cannot be changed; transfer project ownership to another member first"),
    );
    await assertCanActOnRole(
      tx,
      principal,
      member.roleId,
      "You cannot change the project role of a member whose role holds permissions you do not hold",
    );
    const audit = (id: string, metadata: Prisma.InputJsonValue) =>
      tx.auditEvent.create({
        data: auditRow(ctx, "project.members.role.update", { type: "member", id }, metadata, project.id),
      });
    if (role.id === PROJECT_ROLES.Owner) {
      await assertActsAsOwner(tx, principal, "Only the project Owner can transfer project ownership");
      // Demote first: the one-Owner index is checked statement by statement.
      const previous = await tx.projectMembership.findFirst({
        where: { projectId: project.id, roleId: PROJECT_ROLES.Owner },
      });
      if (previous) {
        await tx.projectMembership.update({
          where: { projectId_userId: { projectId: project.id, userId: previous.userId } },
          data: { roleId: PROJECT_ROLES.Manager },
        });
        await audit(previous.userId, {
          from: PROJECT_ROLES.Owner,
          to: PROJECT_ROLES.Manager,
          reason: "ownership transferred",
        });
      }
    } else {
      await assertCanGrantRole(tx, principal, role.id);
    }
    const updated = await tx.projectMembership.update({
      where: { projectId_userId: { projectId: project.id, userId } },
      data: { roleId: role.id },
      include: memberInclude,
    });
    await audit(userId, { from: member.roleId, to: role.id });
    return updated;
  });
  return toProjectMemberDto(row);
}

/**
 * Takes a member out of the project; they stay in the organization. Their open invitations to
 * this project (pending or declined, which could be renewed) would let them straight back in,
 * so they are revoked and their queued emails withdrawn.
 */
export async function removeProjectMember(ctx: ServiceContext, projectId: string, userId: string) {
  await orgTransaction(ctx.actor.organizationId, async (tx) => {
    const { project, principal } = await lockedProject(tx, ctx, projectId);
    await assertCan(principal, "user:delete", tx);
    const member = await findProjectMember(tx, project.id, userId);
    assertNotOwner(member.roleId, () =>
      forbidden("The project Owner cannot be removed; transfer project ownership to another member first"),
    );
    await assertCanActOnRole(
      tx,
      principal,
      member.roleId,
      "You cannot remove a member whose project role holds permissions you do not hold",
    );
    await tx.projectMembership.delete({ where: { projectId_userId: { projectId: project.id, userId } } });
    const open = await tx.invitation.findMany({
      where: { projectId: project.id, email: member.user.email, status: { in: ["PENDING", "DECLINED"] } },
      select: { id: true },
    });
    const ids = open.map((i) => i.id);
    if (ids.length > 0) {
      await tx.invitation.updateMany({
        where: { id: { in: ids } },
        data: { status: "REVOKED", revokedAt: new Date() },
      });
      await cancelQueuedEmails(tx, ids);
    }
    await tx.auditEvent.create({
      data: auditRow(
        ctx,
        "project.members.remove",
        { type: "member", id: userId },
        { email: member.user.email, roleId: member.roleId, revokedInvitations: ids },
        project.id,
      ),
    });
  });
  return { id: userId, removed: true as const };
}
