// Policies: named sets of permissions from a fixed catalogue, for the organization or for one of
// its projects (the optional `scope` argument; the organization when omitted). Each scope has
// system policies shared by all, which cannot be changed, and may define its own over its own
// catalogue and attach them to its custom roles.
import "server-only";
import { getPrisma } from "@/lib/db";
import { conflict, forbidden, notFound, unprocessable } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { PolicyDto } from "@/lib/validation/roles";
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
  systemFirst,
  type IamScope,
  type IamTarget,
} from "./iam";
import { assertHoldsAll } from "./permissions";

type Tx = Prisma.TransactionClient;

/** A policy body; at project scope an omitted description keeps the current one on update. */
export interface PolicyInput {
  name: string;
  permissionIds: string[];
  description?: string | null;
}

const policyInclude = {
  permissions: { select: { permission: { select: { id: true, name: true } } } },
} satisfies Prisma.PolicyInclude;
type PolicyRow = Prisma.PolicyGetPayload<{ include: typeof policyInclude }>;

function toPolicyDto(row: PolicyRow): PolicyDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    permissions: row.permissions.map((p) => p.permission).sort(byName),
  };
}

/** The system policies first (Full access, then the narrower one), then the scope's own by name. */
export async function listPolicies(ctx: ServiceContext, scope: IamScope = ORGANIZATION_SCOPE): Promise<PolicyDto[]> {
  const target = await readableIam(ctx, scope);
  const rows = await getPrisma().policy.findMany({ where: target.visible, include: policyInclude });
  return systemFirst(rows).map(toPolicyDto);
}

/**
 * The policies a role may be given: system ones of the scope or its own (422 naming the others,
 * also another scope's). The actor must hold every permission they grant.
 */
export async function grantablePoliciesOrThrow(tx: Tx, target: IamTarget, policyIds: string[]) {
  const rows = await tx.policy.findMany({
    where: { id: { in: policyIds }, ...target.visible },
    select: { id: true, permissions: { select: { permission: { select: { name: true } } } } },
  });
  const found = new Set(rows.map((r) => r.id));
  const unknown = policyIds.filter((id) => !found.has(id));
  if (unknown.length > 0) {
    throw unprocessable(
      `policyIds: no ${plural(unknown.length, "such policy", "such policies")} in this ${target.kind}: ${unknown.join(", ")}`,
    );
  }
  const names = rows.flatMap((r) => r.permissions.map((p) => p.permission.name));
  await assertHoldsAll(target.subject, names, "You cannot grant a role with permissions you do not hold", tx);
}

/** Permissions of the scope's own catalogue only: an id from the other catalogue is unknown here. */
async function grantablePermissionsOrThrow(tx: Tx, target: IamTarget, permissionIds: string[]) {
  const rows = await tx.permission.findMany({
    where: { id: { in: permissionIds }, scope: target.dbScope },
    select: { id: true, name: true },
  });
  const found = new Set(rows.map((r) => r.id));
  const unknown = permissionIds.filter((id) => !found.has(id));
  if (unknown.length > 0) {
    const what =
      target.kind === "project"
        ? ["such project permission", "such project permissions"]
        : ["such permission", "such permissions"];
    throw unprocessable(`permissionIds: no ${plural(unknown.length, what[0]!, what[1]!)}: ${unknown.join(", ")}`);
  }
  // Editing a policy already attached to the editor's own role would otherwise be a way up.
  const names = rows.map((r) => r.name);
  await assertHoldsAll(target.subject, names, "You cannot grant a policy with permissions you do not hold", tx);
}

/** The scope's policy, for a change: a system policy is 403, another scope's or none at all 404. */
async function customPolicyOrThrow(tx: Tx, target: IamTarget, policyId: string) {
  const policy = await tx.policy.findFirst({ where: { id: policyId, ...target.visible }, include: policyInclude });
  if (!policy) throw notFound(`Policy ${policyId} not found`);
  if (isSystemRow(policy)) throw forbidden(`"${policy.name}" is a system policy; it cannot be changed or deleted`);
  return policy;
}

/** What a create writes and a full replacement rewrites (its old permission links deleted first). */
const policyFields = (input: PolicyInput) => ({
  name: input.name,
  description: input.description,
  permissions: { create: input.permissionIds.map((permissionId) => ({ permissionId })) },
});

const snapshot = (p: PolicyRow) => ({
  name: p.name,
  description: p.description,
  permissionIds: p.permissions.map((x) => x.permission.id).sort(),
});

export async function createPolicy(
  ctx: ServiceContext,
  input: PolicyInput,
  scope: IamScope = ORGANIZATION_SCOPE,
): Promise<PolicyDto> {
  const taken = nameTakenMessage("policy", input.name, scope.kind);
  const row = await iamWrite(
    ctx,
    taken,
    async (tx, target) => {
      await assertNameFree(tx, "policy", target, input.name);
      await grantablePermissionsOrThrow(tx, target, input.permissionIds);
      const policy = await tx.policy.create({
        data: { ...target.owner, ...policyFields(input) },
        include: policyInclude,
      });
      await auditIam(tx, ctx, target, { type: "policy", id: policy.id }, "create", snapshot(policy));
      return policy;
    },
    scope,
  );
  return toPolicyDto(row);
}

/** Every permission held by the roles a policy is part of (through any of their policies). */
async function permissionsOfRolesUsing(tx: Tx, policyId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ name: string }[]>`
    SELECT DISTINCT p.name
      FROM "RolePolicy" uses
      JOIN "RolePolicy" rp ON rp."roleId" = uses."roleId"
      JOIN "PolicyPermission" pp ON pp."policyId" = rp."policyId"
      JOIN "Permission" p ON p.id = pp."permissionId"
     WHERE uses."policyId" = ${policyId}::uuid`;
  return rows.map((r) => r.name);
}

/** Replaces name and permission set, and the description (kept when omitted at project scope). */
export async function updatePolicy(
  ctx: ServiceContext,
  policyId: string,
  input: PolicyInput,
  scope: IamScope = ORGANIZATION_SCOPE,
): Promise<PolicyDto> {
  const taken = nameTakenMessage("policy", input.name, scope.kind);
  const row = await iamWrite(
    ctx,
    taken,
    async (tx, target) => {
      const before = await customPolicyOrThrow(tx, target, policyId);
      // Changing a policy changes every role it is part of: the actor must hold all that those
      // roles hold now (not only the policy's own permissions), or someone weaker could take
      // permissions away from a stronger role by editing a policy they share with it.
      await assertHoldsAll(
        target.subject,
        [...before.permissions.map((p) => p.permission.name), ...(await permissionsOfRolesUsing(tx, before.id))],
        "You cannot change a policy used by roles that hold permissions you do not hold",
        tx,
      );
      await assertNameFree(tx, "policy", target, input.name, before.id);
      await grantablePermissionsOrThrow(tx, target, input.permissionIds);
      await tx.policyPermission.deleteMany({ where: { policyId: before.id } });
      const after = await tx.policy.update({
        where: { id: before.id },
        data: policyFields(input),
        include: policyInclude,
      });
      const change = { from: snapshot(before), to: snapshot(after) };
      await auditIam(tx, ctx, target, { type: "policy", id: before.id }, "update", change);
      return after;
    },
    scope,
  );
  return toPolicyDto(row);
}

/**
 * Deleting a policy still attached to a role is a 409 naming the roles: the cascade would
 * otherwise silently take permissions away from everyone holding them.
 */
export async function deletePolicy(ctx: ServiceContext, policyId: string, scope: IamScope = ORGANIZATION_SCOPE) {
  const id = await iamWrite(
    ctx,
    null,
    async (tx, target) => {
      const policy = await customPolicyOrThrow(tx, target, policyId);
      const attached = await tx.rolePolicy.findMany({
        where: { policyId: policy.id },
        select: { role: { select: { name: true } } },
      });
      if (attached.length > 0) {
        const roles = attached
          .map((a) => a.role)
          .sort(byName)
          .map((r) => `"${r.name}"`);
        throw conflict(
          `Policy "${policy.name}" is still attached to ${plural(roles.length, "role", "roles")} ${roles.join(", ")}; ` +
            "remove it from them first",
        );
      }
      await tx.policy.delete({ where: { id: policy.id } });
      await auditIam(tx, ctx, target, { type: "policy", id: policy.id }, "delete", snapshot(policy));
      return policy.id;
    },
    scope,
  );
  return { id, deleted: true as const };
}
