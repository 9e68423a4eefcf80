// Every write that depends on organization-wide state (seats, the single Owner, role and policy
// names, what is still in use) either locks the organization row first, so such writes in one
// org run one after the other, or is one guarded statement (guardedWrite below). Both bump the
// organization's writeVersion, so each sees the other. Always lock the organization before any of
// its rows.
import "server-only";
import { getPrisma } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import { Prisma, type Plan } from "@/lib/generated/prisma/client";

type Tx = Prisma.TransactionClient;

export interface LockedOrganization {
  id: string;
  name: string;
  plan: Plan;
  trialEndsAt: Date | null;
  seatLimit: number | null;
  writeVersion: number;
}

/** Locks the organization row for the rest of the transaction (and bumps its writeVersion). */
export async function lockOrganization(tx: Tx, organizationId: string): Promise<LockedOrganization> {
  const [org] = await tx.$queryRaw<LockedOrganization[]>`
    UPDATE "Organization" SET "writeVersion" = "writeVersion" + 1 WHERE id = ${organizationId}
    RETURNING id, name, plan, "trialEndsAt", "seatLimit", "writeVersion"`;
  if (!org) throw notFound("Organization not found");
  return org;
}


/** How long a write waits for a pooled connection, and may run, before it gives up. */
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 };

/**
 * A write that depends on organization-wide state: one transaction, the organization row locked
 * first (before any other row of it), then `work` with the locked organization.
 */
export function orgTransaction<T>(organizationId: string, work: (tx: Tx, org: LockedOrganization) => Promise<T>): Promise<T> {
  return getPrisma().$transaction(async (tx) => work(tx, await lockOrganization(tx, organizationId)), TRANSACTION_OPTIONS);
}

/** A write that needs one transaction but takes its locks itself (e.g. finding the org first). */
export function transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return getPrisma().$transaction(work, TRANSACTION_OPTIONS);
}

/** What a guarded attempt answers when another write changed the organization after its read. */
export class Changed {
  /** Nominal: no answer of a service is mistaken for it. */
  private readonly changed = true;
  constructor(readonly organizationId: string) {}
}

/**
 * Optimistic attempts before one holds the organization lock instead. Tests set it to 0 to run
 * every write on its locked path (where a query outside the transaction would wait for the
 * transaction on PGlite's single connection: an attempt must use only the `db` it is given).
 */
export const guardedWriteSettings = { optimisticAttempts: 3 };

/**
 * A write in two round trips and no BEGIN/COMMIT: `attempt` reads everything its decision needs
 * in one statement (the organization's writeVersion included), decides, and writes with one
 * statement whose data-modifying CTEs all hang off `versionGuard` — a single statement is atomic
 * on its own, and it applies only if no other organization write committed since the read. When
 * one did, the attempt answers Changed and runs again; after a few conflicts it runs inside a
 * transaction holding the organization lock, where the guard always passes, so a busy
 * organization still makes progress.
 */
export async function guardedWrite<T>(attempt: (db: Tx) => Promise<T | Changed>, knownOrganizationId?: string): Promise<T> {
  let organizationId: string | null = knownOrganizationId ?? null;
  for (let i = 0; i < guardedWriteSettings.optimisticAttempts; i++) {
    const result = await attempt(getPrisma());
    if (!(result instanceof Changed)) return result;
    organizationId = result.organizationId;
  }
  const locked = await transaction(async (tx) => {
    // The organization is known from the caller or a conflict; else (no optimistic attempt and
    // none given) the first read finds it, and a conflict there decides again under the lock.
    if (organizationId) await lockOrganization(tx, organizationId);
    const result = await attempt(tx);
    if (organizationId || !(result instanceof Changed)) return result;
    await lockOrganization(tx, result.organizationId);
    return attempt(tx);
  });
  if (locked instanceof Changed) throw new AppError("unavailable", "The organization is changing too fast; try again");
  return locked;
}

/**
 * The CTE every guarded write statement starts with: bumps writeVersion if it is still the one
 * read (waiting for a concurrent writer's commit first), else answers no row, and every other
 * CTE of the statement selects FROM guard, so nothing is written.
 */
export function versionGuard(organizationId: string, version: number): Prisma.Sql {
  return Prisma.sql`guard AS (
    UPDATE "Organization" SET "writeVersion" = "writeVersion" + 1
     WHERE id = ${organizationId} AND "writeVersion" = ${version}::int
    RETURNING id)`;
}
