// What the General settings page shows about the active organization: plan, trial and seats.
// Seats are counted the way the invitation rules count them (members + live pending invitations).
import { getPrisma } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "./context";
import { assertCan } from "./permissions";

export interface OrganizationOverview {
  id: string;
  name: string;
  plan: string;
  createdAt: Date;
  trialEndsAt: Date | null;
  seatLimit: number | null;
  members: number;
  pendingInvitations: number;
}

export async function getOrganizationOverview(ctx: ServiceContext, now = new Date()): Promise<OrganizationOverview> {
  await assertCan(ctx.actor, "organization:read");
  const prisma = getPrisma();
  const organizationId = ctx.actor.organizationId;
  const [org, members, pendingInvitations] = await Promise.all([
    prisma.organization.findUnique({ where: { id: organizationId } }),
    prisma.membership.count({ where: { organizationId } }),
    prisma.invitation.count({ where: { organizationId, status: "PENDING", expiresAt: { gt: now } } }),
  ]);
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
