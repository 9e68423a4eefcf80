// Every write that depends on organization-wide state (seats, the single Owner, role and policy
// names, what is still in use) locks the organization row first, so such writes in one org run
// one after the other. Always lock the organization before any of its rows.
import "server-only";
import { getPrisma } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { Plan, Prisma } from "@/lib/generated/prisma/client";

type Tx = Prisma.TransactionClient;

export interface LockedOrganization {
  id: string;
  name: string;
  plan: Plan;
  trialEndsAt: Date | null;
  seatLimit: number | null;
}

export async function lockOrganization(tx: Tx, organizationId: string): Promise<LockedOrganization> {
  const [org] = await tx.$queryRaw<LockedOrganization[]>`
    SELECT id, name, plan, "trialEndsAt", "seatLimit" FROM "Organization" WHERE id = ${organizationId} FOR UPDATE`;
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
