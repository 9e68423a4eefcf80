import "server-only";
import { getPrisma } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { Organization } from "@/lib/generated/prisma/client";
import type { OrganizationDto, UpdateOrganizationBody } from "@/lib/validation/organization";
import { auditRow } from "./audit";
import type { ServiceContext } from "./context";
import { assertCan } from "./permissions";

function toOrganizationDto(org: Pick<Organization, "id" | "name" | "createdAt"> & { plan: string }): OrganizationDto {
  return { id: org.id, name: org.name, plan: org.plan as Organization["plan"], created_at: org.createdAt.toISOString() };
}

export async function getOrganization(ctx: ServiceContext) {
  await assertCan(ctx.actor, "organization:read");
  // A key's request read its organization while authenticating: no second round trip.
  const read = ctx.actor.type === "apiKey" ? ctx.actor.organization : undefined;
  const org = read ?? (await getPrisma().organization.findUnique({ where: { id: ctx.actor.organizationId } }));
  if (!org) throw notFound("Organization not found");
  return toOrganizationDto(org);
}

export async function updateOrganization(ctx: ServiceContext, input: UpdateOrganizationBody) {
  await assertCan(ctx.actor, "organization:manage");
  const org = await getPrisma().$transaction(async (tx) => {
    const before = await tx.organization.findUnique({ where: { id: ctx.actor.organizationId } });
    if (!before) throw notFound("Organization not found");
    const after = await tx.organization.update({ where: { id: before.id }, data: { name: input.name } });
    await tx.auditEvent.create({
      data: auditRow(ctx, "org.update", { type: "organization", id: before.id }, { name: { from: before.name, to: after.name } }),
    });
    return after;
  });
  return toOrganizationDto(org);
}
