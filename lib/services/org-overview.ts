// What the General settings page shows about the active organization: plan, trial and seats.
// Seats are counted the way the invitation rules count them (members + live pending invitations).
import "server-only";
import { getPrisma } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "./context";
import { seatUsage } from "./invitations/rules";
import { assertCan } from "./permissions";

export interface OrganizationOverview {
  id: string;
  name: string;
  plan: string;
  createdAt: Date;
  trialEndsAt: Date | null;
  seatLimit: number | null;
  members: number;
  /** Addresses (not yet members) holding a live pending invitation, to the org or a project. */
  pendingInvitations: number;
}

export async function getOrganizationOverview(ctx: ServiceContext, now = new Date()): Promise<OrganizationOverview> {
  await assertCan(ctx.actor, "organization:read");
  const prisma = getPrisma();
  const organizationId = ctx.actor.organizationId;
  // Counted the way the invitation rules count seats (one helper for both).
  const [org, members, seats] = await Promise.all([
    prisma.organization.findUnique({ where: { id: organizationId } }),
    prisma.membership.count({ where: { organizationId } }),
    seatUsage(prisma, organizationId, now),
  ]);
  const pendingInvitations = seats.used - members;
  if (!org) throw notFound("Organization not found");
  return {
    id: org.id,
    name: org.name,
    plan: org.plan,
    createdAt: org.createdAt,
    trialEndsAt: org.trialEndsAt,
    seatLimit: org.seatLimit,
    members,
    pendingInvitations,
  };
}
