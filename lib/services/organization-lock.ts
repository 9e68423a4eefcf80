// Every write that depends on organization-wide state (seats, the single Owner, role and policy
// names, what is still in use) locks the organization row first, so such writes in one org run
// one after the other. Always lock the organization before any of its rows.
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

