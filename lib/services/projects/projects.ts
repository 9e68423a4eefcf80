// Projects of an organization (contract §6): list, create (with its Owner and a default key),
// read, rename, delete. Who may see and do what is decided by projectPrincipalOrThrow
// (access.ts) and the permission gate; every write locks the organization first, so a name check
// cannot race a concurrent create or rename.
import "server-only";
import { getPrisma } from "@/lib/db";
import { PROJECT_ROLES } from "@/lib/db/system-roles";
import { conflict, unprocessable } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { CreateProjectBody, ProjectDto, UpdateProjectBody } from "@/lib/validation/projects";
import { insertApiKey, projectKeys } from "../api-keys";
import { auditRow } from "../audit";
import { actingUserId, type ServiceContext } from "../context";
import { orgTransaction } from "../organization-lock";
import { assertCan } from "../permissions";
import { administersAllProjects, projectPrincipalOrThrow } from "./access";

type Tx = Prisma.TransactionClient;

/** A write that depends on organization-wide state: one transaction, the organization locked first. */
export const organizationWrite = <T>(ctx: ServiceContext, work: (tx: Tx) => Promise<T>): Promise<T> =>
  orgTransaction(ctx.actor.organizationId, (tx) => work(tx));

export const DEFAULT_KEY_NAME = "Default Key";

/** What a project member needs to see the project at all (in the list and by id). */
const READ = "project:read";

const projectSelect = {
  id: true,
  name: true,
  description: true,
  organizationId: true,
  createdAt: true,
  governancePolicy: { select: { id: true, name: true } },
} as const;
type ProjectRow = Prisma.ProjectGetPayload<{ select: typeof projectSelect }>;

export function toProjectDto(row: ProjectRow): ProjectDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    organizationId: row.organizationId,
    created_at: row.createdAt.toISOString(),
    governancePolicy: row.governancePolicy ? { id: row.governancePolicy.id, name: row.governancePolicy.name } : null,
  };
}

const projectDtoOf = async (db: Tx, id: string) =>
  toProjectDto(await db.project.findUniqueOrThrow({ where: { id }, select: projectSelect }));

/**
 * Newest first. An org `project:manage` holder sees every project; anyone else the projects
 * whose project role lets them read it (the same rule getProject applies).
 */
export async function listProjects(ctx: ServiceContext): Promise<ProjectDto[]> {
  const db = getPrisma();
  const organizationId = ctx.actor.organizationId;
  let where: Prisma.ProjectWhereInput = { organizationId };
  if (!(await administersAllProjects(ctx.actor, db))) {
    const userId = actingUserId(ctx.actor);
    if (!userId) return [];
    const grantsRead = { permissions: { some: { permission: { name: READ, scope: "PROJECT" as const } } } };
    where = { organizationId, memberships: { some: { userId, role: { policies: { some: { policy: grantsRead } } } } } };
  }
  const rows = await db.project.findMany({ where, select: projectSelect, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return rows.map(toProjectDto);
}

/**
 * Names are unique in the organization ignoring case; compared in code (not with SQL lower())
 * so PGlite's C collation and a server's locale agree. `exceptId` is the project being renamed,
 * which may keep its name or change its case.
 */
async function assertProjectNameFree(tx: Tx, organizationId: string, name: string, exceptId?: string) {
  const rows = await tx.project.findMany({ where: { organizationId }, select: { id: true, name: true } });
  const key = name.toLowerCase();
  const clash = rows.find((row) => row.id !== exceptId && row.name.toLowerCase() === key);
  if (clash) throw conflict(`A project named "${clash.name}" already exists in this organization`);
}

/**
 * Creates a project, its Owner (the org member named by `email`, if any) and its default API key,
 * in one transaction. The creator may name any member as Owner: a new project holds nothing yet,
 * so making someone its Owner grants nothing beyond it.
 */
export async function createProject(ctx: ServiceContext, input: CreateProjectBody) {
  const organizationId = ctx.actor.organizationId;
  return organizationWrite(ctx, async (tx) => {
    await assertCan(ctx.actor, "project:create", tx);
    await assertProjectNameFree(tx, organizationId, input.name);
    let ownerId: string | null = null;
    if (input.email) {
      const member = await tx.membership.findFirst({
        where: { organizationId, user: { email: input.email } },
        select: { userId: true },
      });
      if (!member) throw unprocessable(`email ${input.email} is not a member of this organization`);
      ownerId = member.userId;
    }
    const project = await tx.project.create({
      data: { organizationId, name: input.name, description: input.description },
      select: { id: true },
    });
    if (ownerId) {
      await tx.projectMembership.create({
        data: { projectId: project.id, organizationId, userId: ownerId, roleId: PROJECT_ROLES.Owner },
      });
    }
    await tx.auditEvent.create({
      data: auditRow(ctx, "project.create", { type: "project", id: project.id }, { name: input.name, ownerUserId: ownerId }, project.id),
    });
    const apiKey = await insertApiKey(tx, ctx, projectKeys(project.id), DEFAULT_KEY_NAME);
    return { project: await projectDtoOf(tx, project.id), apiKey };
  });
}

export async function getProject(ctx: ServiceContext, projectId: string): Promise<ProjectDto> {
  const db = getPrisma();
  const { principal } = await projectPrincipalOrThrow(db, ctx.actor, projectId);
  await assertCan(principal, READ, db);
  return projectDtoOf(db, projectId);
}

/** Changes only the fields sent; `{}` changes nothing and records nothing. */
export async function updateProject(ctx: ServiceContext, projectId: string, input: UpdateProjectBody): Promise<ProjectDto> {
  return organizationWrite(ctx, async (tx) => {
    const { principal } = await projectPrincipalOrThrow(tx, ctx.actor, projectId);
    await assertCan(principal, "project:manage", tx);
    const before = await tx.project.findUniqueOrThrow({ where: { id: projectId }, select: projectSelect });
    const data: Prisma.ProjectUpdateInput = {};
    const changes: Record<string, { from: string | null; to: string | null }> = {};
    if (input.name !== undefined) {
      await assertProjectNameFree(tx, ctx.actor.organizationId, input.name, projectId);
      data.name = input.name;
      changes.name = { from: before.name, to: input.name };
    }
    if (input.description !== undefined) {
      data.description = input.description;
      changes.description = { from: before.description, to: input.description };
    }
    if (Object.keys(data).length === 0) return toProjectDto(before);
    const after = await tx.project.update({ where: { id: projectId }, data, select: projectSelect });
    // Audited even when the values sent equal the old ones: the event records that someone asked.
    await tx.auditEvent.create({ data: auditRow(ctx, "project.update", { type: "project", id: projectId }, changes, projectId) });
    return toProjectDto(after);
  });
}

/**
 * Deletes the project and everything that is only its: the foreign keys cascade to its API keys,
 * memberships, invitations (and their queued emails, so no dead link goes out), custom roles and
 * policies, in this one statement; its governance enrollment is a column of the row itself.
 * Audit events keep the project id as text and stay.
 */
export async function deleteProject(ctx: ServiceContext, projectId: string) {
  await organizationWrite(ctx, async (tx) => {
    const { principal } = await projectPrincipalOrThrow(tx, ctx.actor, projectId);
    await assertCan(principal, "project:delete", tx);
    const row = await tx.project.findUniqueOrThrow({ where: { id: projectId }, select: { name: true, governancePolicyId: true } });
    await tx.project.delete({ where: { id: projectId } });
    await tx.auditEvent.create({
      data: auditRow(ctx, "project.delete", { type: "project", id: projectId }, { name: row.name, governancePolicyId: row.governancePolicyId }, projectId),
    });
  });
  return { id: projectId, deleted: true as const };
}
