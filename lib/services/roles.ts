// Roles: what members and invitations are given. The system roles (Owner, Admin, Member) are
// shared by every organization and cannot be changed; each org may define its own from the
// system policies and its own policies.
import { getPrisma } from "@/lib/db";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { conflict, forbidden, notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { RoleBody, RoleDto } from "@/lib/validation/roles";
import { auditRow } from "./audit";
import type { ServiceContext } from "./context";
import { assertNameFree, byName, iamWrite, plural, systemOrOwn } from "./iam";
import { assertCan, assertCanActOnRole } from "./permissions";
import { grantablePoliciesOrThrow } from "./policies";

type Tx = Prisma.TransactionClient;

const roleInclude = {
  policies: { select: { policy: { select: { id: true, name: true } } } },
} satisfies Prisma.RoleInclude;
type RoleRow = Prisma.RoleGetPayload<{ include: typeof roleInclude }>;

const SYSTEM_ORDER: string[] = Object.values(SYSTEM_ROLES);

function toRoleDto(row: RoleRow): RoleDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    organizationId: row.organizationId,
    policies: row.policies.map((p) => p.policy).sort(byName),
  };
}

/** Owner, Admin, Member, then the org's custom roles by name. */
export async function listRoles(ctx: ServiceContext): Promise<RoleDto[]> {
  await assertCan(ctx.actor, "iam:read");
  const rows = await getPrisma().role.findMany({ where: systemOrOwn(ctx.actor.organizationId), include: roleInclude });
  const system = rows
    .filter((r) => r.organizationId === null)
    .sort((a, b) => SYSTEM_ORDER.indexOf(a.id) - SYSTEM_ORDER.indexOf(b.id));
  const custom = rows.filter((r) => r.organizationId !== null).sort(byName);
  return [...system, ...custom].map(toRoleDto);
}

async function assertRoleNameFree(tx: Tx, organizationId: string, name: string, exceptId?: string) {
  const existing = await tx.role.findMany({
    where: systemOrOwn(organizationId),
    select: { id: true, name: true, organizationId: true },
  });
  assertNameFree("role", existing, name, exceptId);
}

/** This org's role, for a change: a system role is 403, another org's or none at all 404. */
async function customRoleOrThrow(tx: Tx, organizationId: string, roleId: string) {
  const role = await tx.role.findFirst({ where: { id: roleId, ...systemOrOwn(organizationId) }, include: roleInclude });
  if (!role) throw notFound(`Role ${roleId} not found`);
  if (role.organizationId === null) throw forbidden(`${role.name} is a system role; it cannot be changed or deleted`);
  return role;
}

const snapshot = (r: { name: string; description: string | null; policyIds: string[] }) => ({
  name: r.name,
  description: r.description,
  policyIds: [...r.policyIds].sort(),
});
const policyIdsOf = (row: RoleRow) => row.policies.map((p) => p.policy.id);

export async function createRole(ctx: ServiceContext, input: RoleBody): Promise<RoleDto> {
  const organizationId = ctx.actor.organizationId;
  const row = await iamWrite(ctx, `A role named "${input.name}" already exists in this organization`, async (tx) => {
    await assertRoleNameFree(tx, organizationId, input.name);
    await grantablePoliciesOrThrow(tx, ctx.actor, input.policyIds);
    const role = await tx.role.create({
      data: {
        organizationId,
        name: input.name,
        description: input.description,
        policies: { create: input.policyIds.map((policyId) => ({ policyId })) },
      },
      include: roleInclude,
    });
    await tx.auditEvent.create({
      data: auditRow(ctx, "org.roles.create", { type: "role", id: role.id }, snapshot(input)),
    });
    return role;
  });
  return toRoleDto(row);
}

/** Full replacement: name, description and the policy set. */
export async function updateRole(ctx: ServiceContext, roleId: string, input: RoleBody): Promise<RoleDto> {
  const organizationId = ctx.actor.organizationId;
  const row = await iamWrite(ctx, `A role named "${input.name}" already exists in this organization`, async (tx) => {
    const before = await customRoleOrThrow(tx, organizationId, roleId);
    // Whoever holds this role would otherwise be changed by someone weaker than them.
    await assertCanActOnRole(tx, ctx.actor, before.id, "You cannot change a role that holds permissions you do not hold");
    await assertRoleNameFree(tx, organizationId, input.name, before.id);
    await grantablePoliciesOrThrow(tx, ctx.actor, input.policyIds);
    await tx.rolePolicy.deleteMany({ where: { roleId: before.id } });
    const after = await tx.role.update({
      where: { id: before.id },
      data: {
        name: input.name,
        description: input.description,
        policies: { create: input.policyIds.map((policyId) => ({ policyId })) },
      },
      include: roleInclude,
    });
    const change = { from: snapshot({ ...before, policyIds: policyIdsOf(before) }), to: snapshot(input) };
    await tx.auditEvent.create({ data: auditRow(ctx, "org.roles.update", { type: "role", id: before.id }, change) });
    return after;
  });
  return toRoleDto(row);
}

/**
 * A role still held by a member or offered by a pending (also expired: it can be resent)
 * invitation is a 409 saying which. Accepted, declined and revoked invitations only remember the
 * role, and the foreign key would block the delete forever, so they are pointed at Member (the
 * default role); the audit event counts them.
 */
export async function deleteRole(ctx: ServiceContext, roleId: string) {
  const organizationId = ctx.actor.organizationId;
  const id = await iamWrite(ctx, null, async (tx) => {
    const role = await customRoleOrThrow(tx, organizationId, roleId);
    const [members, pending] = await Promise.all([
      tx.membership.count({ where: { roleId: role.id } }),
      tx.invitation.count({ where: { roleId: role.id, status: "PENDING" } }),
    ]);
    const blockers: [what: string, fix: string][] = [];
    if (members) blockers.push([`${members} ${plural(members, "member", "members")}`, "give the members another role"]);
    if (pending)
      blockers.push([`${pending} pending ${plural(pending, "invitation", "invitations")}`, "revoke the invitations"]);
    if (blockers.length > 0) {
      const [what, fix] = [blockers.map((b) => b[0]).join(" and "), blockers.map((b) => b[1]).join(" and ")];
      throw conflict(`Role "${role.name}" is still assigned to ${what}; ${fix} first`);
    }
    const { count: pastInvitations } = await tx.invitation.updateMany({
      where: { roleId: role.id },
      data: { roleId: SYSTEM_ROLES.Member },
    });
    await tx.role.delete({ where: { id: role.id } });
    const gone = {
      ...snapshot({ ...role, policyIds: policyIdsOf(role) }),
      pastInvitationsMovedToMember: pastInvitations,
    };
    await tx.auditEvent.create({ data: auditRow(ctx, "org.roles.delete", { type: "role", id: role.id }, gone) });
    return role.id;
  });
  return { id, deleted: true as const };
}
