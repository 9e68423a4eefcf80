// Governance policies (contract §7): organization-level groups of controls that projects are
// enrolled in, a project on at most one (Project.governancePolicyId). Reads need the org
// permission project:read, writes project:manage. Assign and unassign succeed partially by
// design: ids that match nothing are reported, never an error.
import "server-only";
import { getPrisma } from "@/lib/db";
import { conflict, notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type {
  GovernancePolicyBody,
  GovernancePolicyDto,
  GovernancePolicyProjectsQuery,
  ProjectIdsBody,
} from "@/lib/validation/governance";
import { auditRow } from "./audit";
import type { ServiceContext } from "./context";
import { assertCan } from "./permissions";
import { organizationWrite } from "./projects/projects";

type Tx = Prisma.TransactionClient;

const policySelect = {
  id: true,
  name: true,
  description: true,
  controls: { select: { id: true, name: true, type: true }, orderBy: [{ position: "asc" as const }, { id: "asc" as const }] },
  _count: { select: { projects: true } },
} satisfies Prisma.GovernancePolicySelect;
type PolicyRow = Prisma.GovernancePolicyGetPayload<{ select: typeof policySelect }>;

function toPolicyDto(row: PolicyRow): GovernancePolicyDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    projectsCount: row._count.projects,
    controls: row.controls.map((c) => ({ id: c.id, name: c.name, type: c.type })),
  };
}

async function policyOrThrow(db: Tx, ctx: ServiceContext, policyId: string) {
  const policy = await db.governancePolicy.findFirst({
    where: { id: policyId, organizationId: ctx.actor.organizationId },
    select: { id: true, name: true },
  });
  if (!policy) throw notFound(`Governance policy ${policyId} not found`);
  return policy;
}

/** Oldest first, like roles and keys: a policy keeps its place as others are added. */
export async function listGovernancePolicies(ctx: ServiceContext): Promise<GovernancePolicyDto[]> {
  const db = getPrisma();
  await assertCan(ctx.actor, "project:read", db);
  const rows = await db.governancePolicy.findMany({
    where: { organizationId: ctx.actor.organizationId },
    select: policySelect,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map(toPolicyDto);
}

/** The policy's projects, a page at a time, newest first like GET /v1/projects. */
export async function listGovernancePolicyProjects(ctx: ServiceContext, policyId: string, query: GovernancePolicyProjectsQuery) {
  const db = getPrisma();
  await assertCan(ctx.actor, "project:read", db);
  const policy = await policyOrThrow(db, ctx, policyId);
  const where = { organizationId: ctx.actor.organizationId, governancePolicyId: policy.id };
  const [projects, total] = await Promise.all([
    db.project.findMany({
      where,
      select: { id: true, name: true },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
    db.project.count({ where }),
  ]);
  return { projects, total };
}

/** Unique in the organization ignoring case, compared in code so every collation agrees. */
async function assertPolicyNameFree(tx: Tx, ctx: ServiceContext, name: string, exceptId?: string) {
  const rows = await tx.governancePolicy.findMany({
    where: { organizationId: ctx.actor.organizationId },
    select: { id: true, name: true },
  });
  const clash = rows.find((row) => row.id !== exceptId && row.name.toLowerCase() === name.toLowerCase());
  if (clash) throw conflict(`A governance policy named "${clash.name}" already exists in this organization`);
}

const controlRows = (controls: GovernancePolicyBody["controls"]) =>
  controls.map((control, position) => ({ name: control.name, type: control.type, position }));

/** [ours] Confident creates policies in its UI only; this is the API twin of our settings page. */
export async function createGovernancePolicy(ctx: ServiceContext, input: GovernancePolicyBody) {
  return organizationWrite(ctx, async (tx) => {
    await assertCan(ctx.actor, "project:manage", tx);
    await assertPolicyNameFree(tx, ctx, input.name);
    const row = await tx.governancePolicy.create({
      data: {
        organizationId: ctx.actor.organizationId,
        name: input.name,
        description: input.description,
        controls: { create: controlRows(input.controls) },
      },
      select: policySelect,
    });
    await tx.auditEvent.create({
      data: auditRow(ctx, "org.governance.create", { type: "governancePolicy", id: row.id }, { name: row.name, controls: input.controls }),
    });
    return toPolicyDto(row);
  });
}

/** A full replacement: name, description and the whole list of controls (new control ids). */
export async function updateGovernancePolicy(ctx: ServiceContext, policyId: string, input: GovernancePolicyBody) {
  return organizationWrite(ctx, async (tx) => {
    await assertCan(ctx.actor, "project:manage", tx);
    const policy = await policyOrThrow(tx, ctx, policyId);
    await assertPolicyNameFree(tx, ctx, input.name, policy.id);
    await tx.governanceControl.deleteMany({ where: { policyId: policy.id } });
    const row = await tx.governancePolicy.update({
      where: { id: policy.id },
      data: { name: input.name, description: input.description, controls: { create: controlRows(input.controls) } },
      select: policySelect,
    });
    await tx.auditEvent.create({
      data: auditRow(ctx, "org.governance.update", { type: "governancePolicy", id: policy.id }, {
        name: { from: policy.name, to: row.name },
        controls: input.controls,
      }),
    });
    return toPolicyDto(row);
  });
}

/** Its projects become unenrolled (the foreign key sets their policy to null). */
export async function deleteGovernancePolicy(ctx: ServiceContext, policyId: string) {
  return organizationWrite(ctx, async (tx) => {
    await assertCan(ctx.actor, "project:manage", tx);
    const policy = await policyOrThrow(tx, ctx, policyId);
    const enrolled = await tx.project.findMany({ where: { governancePolicyId: policy.id }, select: { id: true } });
    await tx.governancePolicy.delete({ where: { id: policy.id } });
    await tx.auditEvent.create({
      data: auditRow(ctx, "org.governance.delete", { type: "governancePolicy", id: policy.id }, {
        name: policy.name,
        unenrolledProjectIds: enrolled.map((p) => p.id),
      }),
    });
    return { id: policy.id, deleted: true as const };
  });
}

/** Request order, first occurrence wins: `["b", "a", "b"]` is `["b", "a"]`. */
const distinct = (ids: string[]) => [...new Set(ids)];

/**
 * Enrolls the org's projects among `projectIds` in the policy; a project on another policy
 * moves here, one already here counts as assigned. Unknown ids and other organizations' go to
 * `notFoundProjectIds`. One audit event per project whose enrollment changed, naming it.
 */
export async function assignProjects(ctx: ServiceContext, policyId: string, input: ProjectIdsBody) {
  return organizationWrite(ctx, async (tx) => {
    await assertCan(ctx.actor, "project:manage", tx);
    const policy = await policyOrThrow(tx, ctx, policyId);
    const ids = distinct(input.projectIds);
    const found = await tx.project.findMany({
      where: { organizationId: ctx.actor.organizationId, id: { in: ids } },
      select: { id: true, governancePolicyId: true },
    });
    const previous = new Map(found.map((p) => [p.id, p.governancePolicyId]));
    const assigned = ids.filter((id) => previous.has(id));
    const changed = assigned.filter((id) => previous.get(id) !== policy.id);
    if (changed.length > 0) {
      await tx.project.updateMany({ where: { id: { in: changed } }, data: { governancePolicyId: policy.id } });
      await tx.auditEvent.createMany({
        data: changed.map((id) =>
          auditRow(ctx, "org.governance.assign", { type: "project", id }, { governancePolicy: policy, previousPolicyId: previous.get(id) ?? null }, id),
        ),
      });
    }
    const notFoundProjectIds = ids.filter((id) => !previous.has(id));
    return { governancePolicy: policy, assignedProjectIds: assigned, notFoundProjectIds, count: assigned.length };
  });
}

/**
 * Unenrolls those of `projectIds` that are on this policy; every other id (unknown, another
 * organization's, on another policy or on none) is skipped.
 */
export async function unassignProjects(ctx: ServiceContext, policyId: string, input: ProjectIdsBody) {
  return organizationWrite(ctx, async (tx) => {
    await assertCan(ctx.actor, "project:manage", tx);
    const policy = await policyOrThrow(tx, ctx, policyId);
    const ids = distinct(input.projectIds);
    const enrolled = await tx.project.findMany({
      where: { organizationId: ctx.actor.organizationId, id: { in: ids }, governancePolicyId: policy.id },
      select: { id: true },
    });
    const on = new Set(enrolled.map((p) => p.id));
    const unassigned = ids.filter((id) => on.has(id));
    if (unassigned.length > 0) {
      await tx.project.updateMany({ where: { id: { in: unassigned } }, data: { governancePolicyId: null } });
      await tx.auditEvent.createMany({
        data: unassigned.map((id) => auditRow(ctx, "org.governance.unassign", { type: "project", id }, { governancePolicy: policy }, id)),
      });
    }
    const skippedProjectIds = ids.filter((id) => !on.has(id));
    return { governancePolicy: policy, unassignedProjectIds: unassigned, skippedProjectIds, count: unassigned.length };
  });
}
