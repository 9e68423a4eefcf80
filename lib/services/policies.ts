// Policies: named sets of permissions from the fixed catalogue. The system policies ("Full
// access", "Read only") are shared by every organization and cannot be changed; each org may
// define its own and attach them to its custom roles.
import { getPrisma } from "@/lib/db";
import { SYSTEM_POLICIES } from "@/lib/db/system-roles";
import { conflict, forbidden, notFound, unprocessable } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { PolicyBody, PolicyDto } from "@/lib/validation/roles";
import { auditRow } from "./audit";
import type { Actor, ServiceContext } from "./context";
import { assertNameFree, byName, iamWrite, plural, systemOrOwn } from "./iam";
import { assertCan, assertHoldsAll } from "./permissions";

type Tx = Prisma.TransactionClient;

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

const SYSTEM_ORDER: string[] = Object.values(SYSTEM_POLICIES);

/** The system policies first (Full access, then Read only), then the org's own by name. */
export async function listPolicies(ctx: ServiceContext): Promise<PolicyDto[]> {
  await assertCan(ctx.actor, "iam:read");
  const rows = await getPrisma().policy.findMany({
    where: systemOrOwn(ctx.actor.organizationId),
    include: policyInclude,
  });
  const system = rows
    .filter((r) => r.organizationId === null)
    .sort((a, b) => SYSTEM_ORDER.indexOf(a.id) - SYSTEM_ORDER.indexOf(b.id));
  const custom = rows.filter((r) => r.organizationId !== null).sort(byName);
  return [...system, ...custom].map(toPolicyDto);
}

/**
 * The policies a role may be given: system ones or this org's (422 naming the others). A user
 * must hold every permission they grant.
 */
export async function grantablePoliciesOrThrow(tx: Tx, actor: Actor, policyIds: string[]) {
  const rows = await tx.policy.findMany({
    where: { id: { in: policyIds }, ...systemOrOwn(actor.organizationId) },
    select: { id: true, permissions: { select: { permission: { select: { name: true } } } } },
  });
  const found = new Set(rows.map((r) => r.id));
  const unknown = policyIds.filter((id) => !found.has(id));
  if (unknown.length > 0) {
    throw unprocessable(
      `policyIds: no ${plural(unknown.length, "such policy", "such policies")} in this organization: ${unknown.join(", ")}`,
    );
  }
  const names = rows.flatMap((r) => r.permissions.map((p) => p.permission.name));
  await assertHoldsAll(actor, names, "You cannot grant a role with permissions you do not hold", tx);
}

async function grantablePermissionsOrThrow(tx: Tx, actor: Actor, permissionIds: string[]) {
  const rows = await tx.permission.findMany({
    where: { id: { in: permissionIds }, scope: "ORGANIZATION" },
    select: { id: true, name: true },
  });
  const found = new Set(rows.map((r) => r.id));
  const unknown = permissionIds.filter((id) => !found.has(id));
  if (unknown.length > 0) {
    throw unprocessable(
      `permissionIds: no ${plural(unknown.length, "such permission", "such permissions")}: ${unknown.join(", ")}`,
    );
  }
  // Editing a policy already attached to the editor's own role would otherwise be a way up.
  const names = rows.map((r) => r.name);
  await assertHoldsAll(actor, names, "You cannot grant a policy with permissions you do not hold", tx);
}

async function assertPolicyNameFree(tx: Tx, organizationId: string, name: string, exceptId?: string) {
  const existing = await tx.policy.findMany({
    where: systemOrOwn(organizationId),
    select: { id: true, name: true, organizationId: true },
  });
  assertNameFree("policy", existing, name, exceptId);
}

/** This org's policy, for a change: a system policy is 403, another org's or none at all 404. */
async function customPolicyOrThrow(tx: Tx, organizationId: string, policyId: string) {
  const policy = await tx.policy.findFirst({
    where: { id: policyId, ...systemOrOwn(organizationId) },
    include: policyInclude,
  });
  if (!policy) throw notFound(`Policy ${policyId} not found`);
  if (policy.organizationId === null) {
    throw forbidden(`"${policy.name}" is a system policy; it cannot be changed or deleted`);
  }
  return policy;
}

const snapshot = (p: { name: string; description: string | null; permissionIds: string[] }) => ({
  name: p.name,
  description: p.description,
  permissionIds: [...p.permissionIds].sort(),
});

export async function createPolicy(ctx: ServiceContext, input: PolicyBody): Promise<PolicyDto> {
  const organizationId = ctx.actor.organizationId;
  const row = await iamWrite(ctx, `A policy named "${input.name}" already exists in this organization`, async (tx) => {
    await assertPolicyNameFree(tx, organizationId, input.name);
    await grantablePermissionsOrThrow(tx, ctx.actor, input.permissionIds);
    const policy = await tx.policy.create({
      data: {
        organizationId,
        name: input.name,
        description: input.description,
        permissions: { create: input.permissionIds.map((permissionId) => ({ permissionId })) },
      },
      include: policyInclude,
    });
    await tx.auditEvent.create({
      data: auditRow(ctx, "org.policies.create", { type: "policy", id: policy.id }, snapshot(input)),
    });
    return policy;
  });
  return toPolicyDto(row);
}

/** Full replacement: name, description and the permission set. */
export async function updatePolicy(ctx: ServiceContext, policyId: string, input: PolicyBody): Promise<PolicyDto> {
  const organizationId = ctx.actor.organizationId;
  const row = await iamWrite(ctx, `A policy named "${input.name}" already exists in this organization`, async (tx) => {
    const before = await customPolicyOrThrow(tx, organizationId, policyId);
    // The roles using this policy would otherwise be changed by someone weaker than their holders.
    await assertHoldsAll(
      ctx.actor,
      before.permissions.map((p) => p.permission.name),
      "You cannot change a policy that holds permissions you do not hold",
      tx,
    );
    await assertPolicyNameFree(tx, organizationId, input.name, before.id);
    await grantablePermissionsOrThrow(tx, ctx.actor, input.permissionIds);
    await tx.policyPermission.deleteMany({ where: { policyId: before.id } });
    const after = await tx.policy.update({
      where: { id: before.id },
      data: {
        name: input.name,
        description: input.description,
        permissions: { create: input.permissionIds.map((permissionId) => ({ permissionId })) },
      },
      include: policyInclude,
    });
    const from = snapshot({ ...before, permissionIds: before.permissions.map((p) => p.permission.id) });
    await tx.auditEvent.create({
      data: auditRow(ctx, "org.policies.update", { type: "policy", id: before.id }, { from, to: snapshot(input) }),
    });
    return after;
  });
  return toPolicyDto(row);
}

/**
 * Deleting a policy still attached to a role is a 409 naming the roles: the cascade would
 * otherwise silently take permissions away from everyone holding them.
 */
export async function deletePolicy(ctx: ServiceContext, policyId: string) {
  const organizationId = ctx.actor.organizationId;
  const id = await iamWrite(ctx, null, async (tx) => {
    const policy = await customPolicyOrThrow(tx, organizationId, policyId);
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
    const permissionIds = policy.permissions.map((p) => p.permission.id);
    await tx.auditEvent.create({
      data: auditRow(
        ctx,
        "org.policies.delete",
        { type: "policy", id: policy.id },
        snapshot({ ...policy, permissionIds }),
      ),
    });
    return policy.id;
  });
  return { id, deleted: true as const };
}
