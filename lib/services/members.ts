// Members of an organization: list, change role (including ownership transfer), remove.
// Every write locks the organization row first, so concurrent role changes and removals are
// serialized and the organization always keeps exactly one Owner (a partial unique index
// backs this up in the database).
import "server-only";
import { getPrisma } from "@/lib/db";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { conflict, forbidden, notFound, unprocessable } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ListMembersQuery, MemberDto, UpdateMemberBody } from "@/lib/validation/members";
import { auditRow } from "./audit";
import { systemOrOwn } from "./iam";
import type { ServiceContext } from "./context";
import { orgTransaction } from "./organization-lock";
import { cancelQueuedEmails } from "./invitations/outbox";
import { assertActsAsOwner, assertCan, assertCanActOnRole, assertCanGrantRole, assertNotOwner } from "./permissions";

type Tx = Prisma.TransactionClient;

const memberInclude = {
  user: { select: { id: true, email: true, name: true, image: true } },
  role: { select: { id: true, name: true } },
} as const;

type MembershipRow = Prisma.MembershipGetPayload<{ include: typeof memberInclude }>;

function toMemberDto(row: MembershipRow): MemberDto {
  return {
    id: row.user.id,
    email: row.user.email,
    name: row.user.name,
    image: row.user.image,
    organizationRole: row.role ? { id: row.role.id, name: row.role.name } : null,
  };
}

export async function listMembers(ctx: ServiceContext, query: ListMembersQuery) {
  await assertCan(ctx.actor, "user:read");
  const where = { organizationId: ctx.actor.organizationId };
  const prisma = getPrisma();
  const [rows, total] = await Promise.all([
    prisma.membership.findMany({
      where,
      include: memberInclude,
      orderBy: [{ joinedAt: "asc" }, { userId: "asc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
    prisma.membership.count({ where }),
  ]);
  return { members: rows.map(toMemberDto), total };
}

async function findMember(tx: Tx, organizationId: string, userId: string) {
  const row = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId } },
    include: memberInclude,
  });
  if (!row) throw notFound(`Member ${userId} not found`);
  return row;
}

/**
 * Changes a member's role. The actor needs user:manage, every permission of the new role and of
 * the member's current one (grant ceiling); the Owner's own role cannot change, and only the
 * Owner gives Owner, which transfers ownership (the previous Owner becomes Admin).
 */
export async function updateMemberRole(ctx: ServiceContext, userId: string, input: UpdateMemberBody) {
  await assertCan(ctx.actor, "user:manage");
  const organizationId = ctx.actor.organizationId;
  const row = await orgTransaction(organizationId, async (tx) => {
    const member = await findMember(tx, organizationId, userId);
    const role = await tx.role.findFirst({
      where: { id: input.roleId, ...systemOrOwn(organizationId) },
      select: { id: true, name: true },
    });
    if (!role) throw unprocessable(`roleId ${input.roleId} is not a role of this organization`);
    if (member.roleId === role.id) return member;

    assertNotOwner(member.roleId, () =>
      conflict("The Owner's role cannot be changed; transfer ownership to another member first"),
    );
    await assertCanActOnRole(
      tx,
      ctx.actor,
      member.roleId,
      "You cannot change the role of a member whose role holds permissions you do not hold",
    );
    if (role.id === SYSTEM_ROLES.Owner) {
      await assertActsAsOwner(tx, ctx.actor, "Only the Owner can transfer ownership");
      // Demote first: the one-Owner index is checked statement by statement.
      const previous = await tx.membership.findFirst({ where: { organizationId, roleId: SYSTEM_ROLES.Owner } });
      if (previous) {
        await tx.membership.update({
          where: { organizationId_userId: { organizationId, userId: previous.userId } },
          data: { roleId: SYSTEM_ROLES.Admin },
        });
        await tx.auditEvent.create({
          data: auditRow(ctx, "org.members.role.update", { type: "member", id: previous.userId }, {
            from: SYSTEM_ROLES.Owner,
            to: SYSTEM_ROLES.Admin,
            reason: "ownership transferred",
          }),
        });
      }
    } else {
      await assertCanGrantRole(tx, ctx.actor, role.id);
    }
    const updated = await tx.membership.update({
      where: { organizationId_userId: { organizationId, userId } },
      data: { roleId: role.id },
      include: memberInclude,
    });
    await tx.auditEvent.create({
      data: auditRow(ctx, "org.members.role.update", { type: "member", id: userId }, { from: member.roleId, to: role.id }),
    });
    return updated;
  });
  return toMemberDto(row);
}

export async function removeMember(ctx: ServiceContext, userId: string) {
  await assertCan(ctx.actor, "user:delete");
  const organizationId = ctx.actor.organizationId;
  await orgTransaction(organizationId, async (tx) => {
    const member = await findMember(tx, organizationId, userId);
    assertNotOwner(member.roleId, () =>
      forbidden("The Owner cannot be removed; transfer ownership to another member first"),
    );
    await assertCanActOnRole(
      tx,
      ctx.actor,
      member.roleId,
      "You cannot remove a member whose role holds permissions you do not hold",
    );
    // Their project memberships go with it (a foreign key to the org membership cascades).
    await tx.membership.delete({ where: { organizationId_userId: { organizationId, userId } } });
    // Open invitations to this person — to the org or any of its projects — would let them back in.
    const pending = await tx.invitation.findMany({
      where: { organizationId, email: member.user.email, status: { in: ["PENDING", "DECLINED"] } },
      select: { id: true },
    });
    if (pending.length > 0) {
      const ids = pending.map((p) => p.id);
      await tx.invitation.updateMany({ where: { id: { in: ids } }, data: { status: "REVOKED", revokedAt: new Date() } });
      await cancelQueuedEmails(tx, ids);
    }
    await tx.auditEvent.create({
      data: auditRow(ctx, "org.members.remove", { type: "member", id: userId }, {
        email: member.user.email,
        roleId: member.roleId,
        revokedInvitations: pending.map((p) => p.id),
      }),
    });
  });
  return { id: userId, removed: true as const };
}
