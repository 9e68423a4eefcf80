// API keys, one engine for both scopes: the organization's own keys (`confident_org_…`,
// projectId null) and each project's (`confident_proj_…`). The raw key exists only in the
// create response: the database keeps its SHA-256 (for lookup) and its last 6 characters (for
// the redacted `value`). A key of another organization, of another project, or of the other
// scope is indistinguishable from a missing one (404).
import "server-only";
import { API_KEY_PREFIX, generateApiKey, hashApiKey, lastSix, PROJECT_API_KEY_PREFIX, redactApiKey } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { forbidden, notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ApiKeyDto, CreateApiKeyBody, UpdateApiKeyBody } from "@/lib/validation/api-keys";
import { auditRow, type AuditAction } from "./audit";
import { actingUserId, type ServiceContext } from "./context";
import { orgTransaction } from "./organization-lock";
import { assertCan, type Subject } from "./permissions";
import { projectPrincipalOrThrow } from "./projects/access";
import { apiKeysPerOrganization } from "./throttles";
import { ORGANIZATION_SCOPE, projectScope, type Scope } from "./scope";

type Tx = Prisma.TransactionClient;

/** Whose keys a call is about (the shared scope type; the names read well at call sites). */
export type ApiKeyScope = Scope;
export const ORGANIZATION_KEYS: ApiKeyScope = ORGANIZATION_SCOPE;
export const projectKeys = projectScope;

const SCOPE = {
  organization: {
    prefix: API_KEY_PREFIX,
    noun: "organization",
    audit: { create: "org.apiKeys.create", update: "org.apiKeys.update", delete: "org.apiKeys.delete" },
  },
  project: {
    prefix: PROJECT_API_KEY_PREFIX,
    noun: "project",
    audit: { create: "project.apiKeys.create", update: "project.apiKeys.update", delete: "project.apiKeys.delete" },
  },
} as const satisfies Record<ApiKeyScope["kind"], { prefix: string; noun: string; audit: Record<string, AuditAction> }>;

const projectIdOf = (scope: ApiKeyScope) => (scope.kind === "project" ? scope.projectId : null);

/** The scope's rows: an organization's keys never include its projects' keys. */
const keysWhere = (ctx: ServiceContext, scope: ApiKeyScope) => ({
  organizationId: ctx.actor.organizationId,
  projectId: projectIdOf(scope),
});

/**
 * Who the permission check is about: the actor in its organization, or the actor as a principal
 * of the project (404 when the project is not the actor's to see).
 */
async function subjectIn(db: Tx, ctx: ServiceContext, scope: ApiKeyScope): Promise<Subject> {
  if (scope.kind === "organization") return ctx.actor;
  return (await projectPrincipalOrThrow(db, ctx.actor, scope.projectId)).principal;
}

const apiKeyInclude = { createdByUser: { select: { id: true, email: true, name: true } } } as const;
type ApiKeyRow = Prisma.ApiKeyGetPayload<{ include: typeof apiKeyInclude }>;

function toApiKeyDto(row: ApiKeyRow, value = redactApiKey(row.last6)): ApiKeyDto {
  return {
    id: row.id,
    name: row.name,
    valid: row.valid,
    value,
    created_at: row.createdAt.toISOString(),
    lastUsed: row.lastUsedAt?.toISOString() ?? null,
    createdBy: row.createdByUser,
  };
}

/** Oldest first: a key keeps its place in the list as others are added (the scope's index covers it). */
export async function listApiKeys(ctx: ServiceContext, scope: ApiKeyScope = ORGANIZATION_KEYS) {
  const db = getPrisma();
  await assertCan(await subjectIn(db, ctx, scope), "apiKey:read", db);
  const rows = await db.apiKey.findMany({
    where: keysWhere(ctx, scope),
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: apiKeyInclude,
  });
  return rows.map((row) => toApiKeyDto(row));
}

export async function getApiKey(ctx: ServiceContext, id: number, scope: ApiKeyScope = ORGANIZATION_KEYS) {
  const db = getPrisma();
  await assertCan(await subjectIn(db, ctx, scope), "apiKey:read", db);
  const row = await db.apiKey.findFirst({ where: { id, ...keysWhere(ctx, scope) }, include: apiKeyInclude });
  if (!row) throw notFound(`API key ${id} not found`);
  return toApiKeyDto(row);
}

/**
 * Mints and stores a key in the caller's transaction, with its audit event; the caller has
 * checked the permission. Shared by createApiKey and by project creation (its default key).
 * The key acts as the user behind the actor: the signed-in user, or the creator of the key that
 * mints it (so a key never outranks the person it came from).
 */
export async function insertApiKey(tx: Tx, ctx: ServiceContext, scope: ApiKeyScope, name: string) {
  const key = generateApiKey(SCOPE[scope.kind].prefix);
  const row = await tx.apiKey.create({
    data: {
      ...keysWhere(ctx, scope),
      name,
      keyHash: hashApiKey(key),
      last6: lastSix(key),
      createdByUserId: actingUserId(ctx.actor),
    },
    include: apiKeyInclude,
  });
  await tx.auditEvent.create({
    data: auditRow(ctx, SCOPE[scope.kind].audit.create, { type: "apiKey", id: row.id }, { name: row.name }, projectIdOf(scope)),
  });
  return toApiKeyDto(row, key);
}

/**
 * A write on the scope's keys: the organization locked first (as every write locks it before
 * any of its rows, so this cannot deadlock with a project deletion cascading to its keys), then
 * the permission checked in the same transaction.
 */
async function keyWrite<T>(ctx: ServiceContext, scope: ApiKeyScope, work: (tx: Tx) => Promise<T>): Promise<T> {
  return orgTransaction(ctx.actor.organizationId, async (tx) => {
    await assertCan(await subjectIn(tx, ctx, scope), "apiKey:manage", tx);
    return await work(tx);
  });
}

/** The only answer that carries the full key; it cannot be shown again. */
export async function createApiKey(ctx: ServiceContext, input: CreateApiKeyBody, scope: ApiKeyScope = ORGANIZATION_KEYS) {
  return keyWrite(ctx, scope, async (tx) => {
    // Under the organization lock, so concurrent creates cannot pass the limit together.
    const max = apiKeysPerOrganization();
    if ((await tx.apiKey.count({ where: keysWhere(ctx, scope) })) >= max) {
      const noun = SCOPE[scope.kind].noun;
      throw forbidden(`This ${noun} already has ${max} API keys, the most allowed; delete one it no longer uses first`);
    }
    return insertApiKey(tx, ctx, scope, input.name);
  });
}

/** Locks the scope's key so a concurrent update or delete cannot interleave with this one. */
async function lockApiKeyOrThrow(tx: Tx, ctx: ServiceContext, scope: ApiKeyScope, id: number) {
  const [row] = await tx.$queryRaw<{ id: number }[]>`
    SELECT id FROM "ApiKey"
     WHERE id = ${id} AND "organizationId" = ${ctx.actor.organizationId}
       AND "projectId" IS NOT DISTINCT FROM ${projectIdOf(scope)}
       FOR UPDATE`;
  if (!row) throw notFound(`API key ${id} not found`);
  return tx.apiKey.findUniqueOrThrow({ where: { id }, include: apiKeyInclude });
}

/**
 * Deactivates or reactivates a key. Authentication reads `valid` on every request, so the change
 * holds from the next request on. A key may deactivate itself: the request already
 * authenticated, and locking oneself out is the caller's explicit choice.
 */
export async function updateApiKey(
  ctx: ServiceContext,
  id: number,
  input: UpdateApiKeyBody,
  scope: ApiKeyScope = ORGANIZATION_KEYS,
) {
  return keyWrite(ctx, scope, async (tx) => {
    const before = await lockApiKeyOrThrow(tx, ctx, scope, id);
    const after = await tx.apiKey.update({ where: { id }, data: { valid: input.valid }, include: apiKeyInclude });
    // Audited even when nothing changes: the event records that someone asked.
    await tx.auditEvent.create({
      data: auditRow(
        ctx,
        SCOPE[scope.kind].audit.update,
        { type: "apiKey", id },
        { valid: { from: before.valid, to: after.valid } },
        projectIdOf(scope),
      ),
    });
    return toApiKeyDto(after);
  });
}

/**
 * Deletes a key for good (no soft delete: a removed credential has nothing to restore). A key
 * may delete itself, even the org's last one; users with `apiKey:manage` can create new ones.
 */
export async function deleteApiKey(ctx: ServiceContext, id: number, scope: ApiKeyScope = ORGANIZATION_KEYS) {
  await keyWrite(ctx, scope, async (tx) => {
    const row = await lockApiKeyOrThrow(tx, ctx, scope, id);
    await tx.apiKey.delete({ where: { id } });
    // The row is gone, so the event keeps what identifies the key to people.
    await tx.auditEvent.create({
      data: auditRow(ctx, SCOPE[scope.kind].audit.delete, { type: "apiKey", id }, { name: row.name, last6: row.last6 }, projectIdOf(scope)),
    });
  });
  return { id, deleted: true as const };
}
