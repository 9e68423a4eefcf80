// Organization API keys. The raw key exists only in the create response: the database keeps its
// SHA-256 (for lookup) and its last 6 characters (for the redacted `value`). Another
// organization's key is indistinguishable from a missing one (404).
import { generateApiKey, hashApiKey, lastSix, redactApiKey } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { forbidden, notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ApiKeyDto, CreateApiKeyBody, UpdateApiKeyBody } from "@/lib/validation/api-keys";
import { auditRow } from "./audit";
import { actingUserId, type ServiceContext } from "./context";
import { lockOrganization } from "./organization-lock";
import { assertCan } from "./permissions";
import { apiKeysPerOrganization } from "./throttles";

type Tx = Prisma.TransactionClient;

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

/** Oldest first: a key keeps its place in the list as others are added (the org index covers it). */
export async function listApiKeys(ctx: ServiceContext) {
  await assertCan(ctx.actor, "apiKey:read");
  const rows = await getPrisma().apiKey.findMany({
    where: { organizationId: ctx.actor.organizationId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: apiKeyInclude,
  });
  return rows.map((row) => toApiKeyDto(row));
}

export async function getApiKey(ctx: ServiceContext, id: number) {
  await assertCan(ctx.actor, "apiKey:read");
  const row = await getPrisma().apiKey.findFirst({
    where: { id, organizationId: ctx.actor.organizationId },
    include: apiKeyInclude,
  });
  if (!row) throw notFound(`API key ${id} not found`);
  return toApiKeyDto(row);
}

/**
 * The only answer that carries the full key; it cannot be shown again. The key acts as the user
 * behind the actor: the signed-in user, or the creator of the key that mints it (so a key never
 * outranks the person it came from).
 */
export async function createApiKey(ctx: ServiceContext, input: CreateApiKeyBody) {
  await assertCan(ctx.actor, "apiKey:manage");
  const key = generateApiKey();
  const row = await getPrisma().$transaction(async (tx) => {
    // Under the organization lock, so concurrent creates cannot pass the limit together.
    await lockOrganization(tx, ctx.actor.organizationId);
    const max = apiKeysPerOrganization();
    if ((await tx.apiKey.count({ where: { organizationId: ctx.actor.organizationId } })) >= max) {
      throw forbidden(`This organization already has ${max} API keys, the most allowed; delete one it no longer uses first`);
    }
    const created = await tx.apiKey.create({
      data: {
        organizationId: ctx.actor.organizationId,
        name: input.name,
        keyHash: hashApiKey(key),
        last6: lastSix(key),
        createdByUserId: actingUserId(ctx.actor),
      },
      include: apiKeyInclude,
    });
    await tx.auditEvent.create({
      data: auditRow(ctx, "org.apiKeys.create", { type: "apiKey", id: created.id }, { name: created.name }),
    });
    return created;
  });
  return toApiKeyDto(row, key);
}

/** Locks the org's key so a concurrent update or delete cannot interleave with this one. */
async function lockApiKeyOrThrow(tx: Tx, ctx: ServiceContext, id: number) {
  const [row] = await tx.$queryRaw<{ id: number }[]>`
    SELECT id FROM "ApiKey" WHERE id = ${id} AND "organizationId" = ${ctx.actor.organizationId} FOR UPDATE`;
  if (!row) throw notFound(`API key ${id} not found`);
  return tx.apiKey.findUniqueOrThrow({ where: { id }, include: apiKeyInclude });
}

/**
 * Deactivates or reactivates a key. Authentication reads `valid` on every request, so the change
 * holds from the next request on. A key may deactivate itself: the request already
 * authenticated, and locking oneself out is the caller's explicit choice.
 */
export async function updateApiKey(ctx: ServiceContext, id: number, input: UpdateApiKeyBody) {
  await assertCan(ctx.actor, "apiKey:manage");
  const row = await getPrisma().$transaction(async (tx) => {
    const before = await lockApiKeyOrThrow(tx, ctx, id);
    const after = await tx.apiKey.update({ where: { id }, data: { valid: input.valid }, include: apiKeyInclude });
    // Audited even when nothing changes: the event records that someone asked.
    await tx.auditEvent.create({
      data: auditRow(ctx, "org.apiKeys.update", { type: "apiKey", id }, { valid: { from: before.valid, to: after.valid } }),
    });
    return after;
  });
  return toApiKeyDto(row);
}

/**
 * Deletes a key for good (no soft delete: a removed credential has nothing to restore). A key
 * may delete itself, even the org's last one; users with `apiKey:manage` can create new ones.
 */
export async function deleteApiKey(ctx: ServiceContext, id: number) {
  await assertCan(ctx.actor, "apiKey:manage");
  await getPrisma().$transaction(async (tx) => {
    const row = await lockApiKeyOrThrow(tx, ctx, id);
    await tx.apiKey.delete({ where: { id } });
    // The row is gone, so the event keeps what identifies the key to people.
    await tx.auditEvent.create({
      data: auditRow(ctx, "org.apiKeys.delete", { type: "apiKey", id }, { name: row.name, last6: row.last6 }),
    });
  });
  return { id, deleted: true as const };
}
