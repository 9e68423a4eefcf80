// Roles: what members and invitations are given, in the organization or in one of its projects
// (the optional `scope` argument; the organization when omitted). Each scope has system roles
// shared by all (Owner, Admin, Member; Owner, Manager, Member), which cannot be changed, and may
// define its own from the scope's system policies and its own policies.
import "server-only";
import { getPrisma } from "@/lib/db";
import { PROJECT_ROLES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { conflict, forbidden, notFound } from "@/lib/errors";
import type { InvitationStatus, Prisma } from "@/lib/generated/prisma/client";
import type { ProjectRoleDto } from "@/lib/validation/project-iam";
import type { RoleDto } from "@/lib/validation/roles";
import type { ServiceContext } from "./context";
import {
  assertNameFree,
  auditIam,
  byName,
  iamWrite,
  isSystemRow,
  nameTakenMessage,
  ORGANIZATION_SCOPE,
  plural,
  readableIam,
  resolveIamTarget,
  systemFirst,
  type IamScope,
  type IamTarget,
  type OrganizationScope,
  type ProjectScope,
} from "./iam";
import { assertCanActOnRole, authorityOf, can, mayGrantRole } from "./permissions";
import { grantablePoliciesOrThrow } from "./policies";

type Tx = Prisma.TransactionClient;

/** A role body; at project scope an omitted description keeps the current one on update. */
export interface RoleInput {
  name: string;
  policyIds: string[];
  description?: string | null;
}

/** The contract names the owner field per scope: organizationId, or projectId. */
export type RoleDtoOf<S extends IamScope> = S extends ProjectScope ? ProjectRoleDto : RoleDto;

const roleInclude = {
  policies: { select: { policy: { select: { id: true, name: true } } } },
} satisfies Prisma.RoleInclude;
type RoleRow = Prisma.RoleGetPayload<{ include: typeof roleInclude }>;

function toRoleDto<S extends IamScope>(row: RoleRow, target: IamTarget): RoleDtoOf<S> {
  const owner = target.kind === "project" ? { projectId: row.projectId } : { organizationId: row.organizationId };
  const policies = row.policies.map((p) => p.policy).sort(byName);
  return { id: row.id, name: row.name, description: row.description, ...owner, policies } as RoleDtoOf<S>;
}

/**
 * What blocks a delete, per scope. An organization role offered by a pending (also expired: it
 * can be resent) invitation is in use; the contract makes any open project invitation (pending
 * or declined) block a project role. Past invitations only remember the role and move to the
 * scope's Member.
 */
const IN_USE = {
  organization: {
    statuses: ["PENDING"] as InvitationStatus[],
    word: "pending",
    memberRoleId: SYSTEM_ROLES.Member as string,
    holders: (tx: Tx, roleId: string) => tx.membership.count({ where: { roleId } }),
  },
  project: {
    statuses: ["PENDING", "DECLINED"] as InvitationStatus[],
    word: "open",
    memberRoleId: PROJECT_ROLES.Member as string,
    holders: (tx: Tx, roleId: string) => tx.projectMembership.count({ where: { roleId } }),
  },
};

/** The system roles (Owner first), then the scope's custom roles by name. */
export async function listRoles<S extends IamScope = OrganizationScope>(
  ctx: ServiceContext,
  scope?: S,
): Promise<RoleDtoOf<S>[]> {
  const target = await readableIam(ctx, scope ?? ORGANIZATION_SCOPE);
  const rows = await getPrisma().role.findMany({ where: target.visible, include: roleInclude });
  return systemFirst(rows).map((row) => toRoleDto<S>(row, target));
}

export interface GrantableRoles<S extends IamScope = OrganizationScope> {
  /** Every role of the scope (for names), in listRoles' order. */
  all: RoleDtoOf<S>[];
  /** The ones the actor may give (mayGrantRole), for the pickers; the services still decide. */
  grantable: RoleDtoOf<S>[];
}

/** The scope's roles and the ones the actor may hand out; nothing without the scope's iam:read. */
export async function grantableRoles<S extends IamScope = OrganizationScope>(
  ctx: ServiceContext,
  scope?: S,
): Promise<GrantableRoles<S>> {
  const db = getPrisma();
  const target = await resolveIamTarget(db, ctx.actor, scope ?? ORGANIZATION_SCOPE);
  if (!(await can(target.subject, "iam:read", db))) return { all: [], grantable: [] };
  const [authority, rows] = await Promise.all([
    authorityOf(target.subject, db),
    db.role.findMany({
      where: target.visible,
      include: {
        policies: {
          select: { policy: { select: { id: true, name: true, permissions: { select: { permission: { select: { name: true } } } } } } },
        },
      },
    }),
  ]);
  const ordered = systemFirst(rows);
  const grantable = ordered.filter((row) => {
    const permissions = row.policies.flatMap((p) => p.policy.permissions.map((x) => x.permission.name));
    return mayGrantRole(authority, { id: row.id, permissions }, target.kind);
  });
  return { all: ordered.map((row) => toRoleDto<S>(row, target)), grantable: grantable.map((row) => toRoleDto<S>(row, target)) };
}

/** The scope's role, for a change: a system role is 403, another scope's or none at all 404. */
async function customRoleOrThrow(tx: Tx, target: IamTarget, roleId: string) {
  const role = await tx.role.findFirst({ where: { id: roleId, ...target.visible }, include: roleInclude });
  if (!role) throw notFound(`Role ${roleId} not found`);
  if (isSystemRow(role)) throw forbidden(`${role.name} is a system role; it cannot be changed or deleted`);
  return role;
}

/** What a create writes and a full replacement rewrites (its old policy links deleted first). */
const roleFields = (input: RoleInput) => ({
  name: input.name,
  description: input.description,
  policies: { create: input.policyIds.map((policyId) => ({ policyId })) },
});

const snapshot = (r: RoleRow) => ({
  name: r.name,
  description: r.description,
  policyIds: r.policies.map((p) => p.policy.id).sort(),
});

export async function createRole<S extends IamScope = OrganizationScope>(
  ctx: ServiceContext,
  input: RoleInput,
  scope?: S,
): Promise<RoleDtoOf<S>> {
  const where = scope ?? ORGANIZATION_SCOPE;
  const row = await iamWrite(
    ctx,
    nameTakenMessage("role", input.name, where.kind),
    async (tx, target) => {
      await assertNameFree(tx, "role", target, input.name);
      await grantablePoliciesOrThrow(tx, target, input.policyIds);
      const role = await tx.role.create({
        data: { ...target.owner, ...roleFields(input) },
        include: roleInclude,
      });
      await auditIam(tx, ctx, target, { type: "role", id: role.id }, "create", snapshot(role));
      return { role, target };
    },
    where,
  );
  return toRoleDto<S>(row.role, row.target);
}

/** Replaces name and policy set, and the description (kept when omitted at project scope). */
export async function updateRole<S extends IamScope = OrganizationScope>(
  ctx: ServiceContext,
  roleId: string,
  input: RoleInput,
  scope?: S,
): Promise<RoleDtoOf<S>> {
  const where = scope ?? ORGANIZATION_SCOPE;
  const row = await iamWrite(
    ctx,
    nameTakenMessage("role", input.name, where.kind),
    async (tx, target) => {
      const before = await customRoleOrThrow(tx, target, roleId);
      // Whoever holds this role would otherwise be changed by someone weaker than them.
      await assertCanActOnRole(
        tx,
        target.subject,
        before.id,
        "You cannot change a role that holds permissions you do not hold",
      );
      await assertNameFree(tx, "role", target, input.name, before.id);
      await grantablePoliciesOrThrow(tx, target, input.policyIds);
      await tx.rolePolicy.deleteMany({ where: { roleId: before.id } });
      const after = await tx.role.update({
        where: { id: before.id },
        data: roleFields(input),
        include: roleInclude,
      });
      const change = { from: snapshot(before), to: snapshot(after) };
      await auditIam(tx, ctx, target, { type: "role", id: before.id }, "update", change);
      return { role: after, target };
    },
    where,
  );
  return toRoleDto<S>(row.role, row.target);
}

/**
 * A role still held by a member or offered by an invitation that is still in play is a 409
 * saying which (see IN_USE). The foreign key from past invitations would block the delete
 * forever, so they are pointed at the scope's Member role; the audit event counts them.
 */
export async function deleteRole(ctx: ServiceContext, roleId: string, scope: IamScope = ORGANIZATION_SCOPE) {
  const id = await iamWrite(
    ctx,
    null,
    async (tx, target) => {
      const role = await customRoleOrThrow(tx, target, roleId);
      const rules = IN_USE[target.kind];
      const [members, open] = await Promise.all([
        rules.holders(tx, role.id),
        tx.invitation.count({ where: { roleId: role.id, status: { in: rules.statuses } } }),
      ]);
      const blockers: [what: string, fix: string][] = [];
      if (members)
        blockers.push([`${members} ${plural(members, "member", "members")}`, "give the members another role"]);
      if (open) {
        blockers.push([`${open} ${rules.word} ${plural(open, "invitation", "invitations")}`, "revoke the invitations"]);
      }
      if (blockers.length > 0) {
        const [what, fix] = [blockers.map((b) => b[0]).join(" and "), blockers.map((b) => b[1]).join(" and ")];
        throw conflict(`Role "${role.name}" is still assigned to ${what}; ${fix} first`);
      }
      const { count: pastInvitations } = await tx.invitation.updateMany({
        where: { roleId: role.id },
        data: { roleId: rules.memberRoleId },
      });
      await tx.role.delete({ where: { id: role.id } });
      const gone = { ...snapshot(role), pastInvitationsMovedToMember: pastInvitations };
      await auditIam(tx, ctx, target, { type: "role", id: role.id }, "delete", gone);
      return role.id;
    },
    scope,
  );
  return { id, deleted: true as const };
}
