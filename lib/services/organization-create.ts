// Creating an organization from the app: the signed-in user becomes its Owner. Installations that
// hand out organizations only through provisioning turn this off with DISABLE_ORG_CREATION.
import "server-only";
import { getPrisma } from "@/lib/db";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { env } from "@/lib/env";
import { badRequest, forbidden } from "@/lib/errors";
import type { Plan, Prisma } from "@/lib/generated/prisma/client";

const TRIAL_DAYS = 14;

export const ORG_CREATION_DISABLED_MESSAGE = "Creating organizations is turned off on this installation";

export interface CreateOrganizationInput {
  userId: string;
  /** Already validated by UpdateOrganizationBody (trimmed, 1–100 characters). */
  name: string;
  requestId?: string;
}

export interface CreatedOrganization {
  id: string;
  name: string;
  plan: string;
  trialEndsAt: Date | null;
}

export function orgCreationEnabled() {
  return !env().DISABLE_ORG_CREATION;
}

export async function createOrganization(input: CreateOrganizationInput): Promise<CreatedOrganization> {
  if (!orgCreationEnabled()) throw forbidden(ORG_CREATION_DISABLED_MESSAGE);
  const name = input.name.trim();
  // Callers parse the contract schema first; this guards the service against any that do not.
  if (name.length < 1 || name.length > 100) throw badRequest("name must be 1 to 100 characters");
  return getPrisma().$transaction(async (tx) => {
    // An unverified account proves nothing about its address: it owns nothing until it is verified.
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { emailVerified: true } });
    if (!user?.emailVerified) throw forbidden("Verify your email address before creating an organization");
    const org = await insertOrganization(tx, {
      name,
      plan: "TRIAL",
      ownerId: input.userId,
      actor: { actorType: "user", actorId: input.userId },
      requestId: input.requestId,
    });
    return { id: org.id, name: org.name, plan: org.plan, trialEndsAt: org.trialEndsAt };
  });
}

/**
 * The organization, its Owner membership and the `org.create` audit event, inside the caller's
 * transaction; a TRIAL starts a 14-day trial. Shared by the app and headless provisioning.
 */
export async function insertOrganization(
  tx: Prisma.TransactionClient,
  input: {
    name: string;
    plan: Plan;
    ownerId: string;
    actor: { actorType: string; actorId: string };
    requestId?: string;
  },
) {
  const org = await tx.organization.create({
    data: {
      name: input.name,
      plan: input.plan,
      trialEndsAt: input.plan === "TRIAL" ? new Date(Date.now() + TRIAL_DAYS * 86_400_000) : null,
      memberships: { create: { userId: input.ownerId, roleId: SYSTEM_ROLES.Owner } },
    },
  });
  // Written directly (not through auditRow): there is no org-scoped actor before the org exists.
  await tx.auditEvent.create({
    data: {
      organizationId: org.id,
      ...input.actor,
      action: "org.create",
      targetType: "organization",
      targetId: org.id,
      requestId: input.requestId,
      metadata: { name: input.name },
    },
  });
  return org;
}
