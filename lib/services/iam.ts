// What the roles and policies services share: the permission catalogue, the write transaction
// both use, and how their names are compared and ordered.
import { getPrisma } from "@/lib/db";
import { conflict } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { PermissionDto } from "@/lib/validation/roles";
import type { ServiceContext } from "./context";
import { lockOrganization } from "./organization-lock";
import { assertCan } from "./permissions";

type Tx = Prisma.TransactionClient;

const TX_OPTIONS = { maxWait: 10_000, timeout: 30_000 };

/**
 * Case-insensitive, then exact: sorted in code rather than by the database so that PGlite (C
 * collation) and a PostgreSQL server (usually a locale collation) answer in the same order.
 */
export function byName(a: { name: string }, b: { name: string }): number {
  const [x, y] = [a.name.toLowerCase(), b.name.toLowerCase()];
  if (x !== y) return x < y ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** GET /v1/organization/permissions: the fixed catalogue, by name. */
export async function listPermissions(ctx: ServiceContext): Promise<PermissionDto[]> {
  await assertCan(ctx.actor, "iam:read");
  const rows = await getPrisma().permission.findMany({
    where: { scope: "ORGANIZATION" },
    select: { id: true, name: true, description: true },
  });
  return rows.sort(byName);
}

/**
 * One role or policy write: iam:manage, then a transaction that first locks the organization row.
 * Invitations and member role changes take the same lock first, so a name check cannot race a
 * concurrent create, and "is this role still in use" cannot race an invitation or a role change.
 * The unique index on (organizationId, name) stays the backstop; `nameTaken` is the 409 its
 * violation becomes (null for deletes, which cannot violate it).
 */
export async function iamWrite<T>(
  ctx: ServiceContext,
  nameTaken: string | null,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  await assertCan(ctx.actor, "iam:manage");
  try {
    return await getPrisma().$transaction(async (tx) => {
      await lockOrganization(tx, ctx.actor.organizationId);
      return await work(tx);
    }, TX_OPTIONS);
  } catch (error) {
    if (nameTaken && (error as { code?: unknown }).code === "P2002") throw conflict(nameTaken);
    throw error;
  }
}

/**
 * Names are unique per organization ignoring case ("Editor" and "editor" would be confusing in a
 * picker), and no custom name may equal a system one. `existing` holds the system rows and the
 * org's own; `exceptId` is the row being renamed, which may keep its name or change its case.
 */
export function assertNameFree(
  kind: "role" | "policy",
  existing: { id: string; name: string; organizationId: string | null }[],
  name: string,
  exceptId?: string,
) {
  const key = name.toLowerCase();
  const clash = existing.find((row) => row.id !== exceptId && row.name.toLowerCase() === key);
  if (!clash) return;
  throw conflict(
    clash.organizationId === null
      ? `"${clash.name}" is the name of a system ${kind}; choose another name`
      : `A ${kind} named "${clash.name}" already exists in this organization`,
  );
}

/**
 * Where clause for the organization-scope roles or policies this org can see: the system ones
 * (organizationId null) and its own. Project roles and policies (scope PROJECT) never match.
 */
export const systemOrOwn = (organizationId: string) => ({
  scope: "ORGANIZATION" as const,
  OR: [{ organizationId: null }, { organizationId }],
});

export const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
