// Which organizations a signed-in user belongs to, and which one they are working in.
import "server-only";
import { getPrisma } from "@/lib/db";

export interface UserOrganization {
  id: string;
  name: string;
  plan: string;
  roleId: string;
  roleName: string;
}

export async function listUserOrganizations(userId: string): Promise<UserOrganization[]> {
  const rows = await getPrisma().membership.findMany({
    where: { userId },
    include: { organization: { select: { id: true, name: true, plan: true } }, role: { select: { name: true } } },
    orderBy: { joinedAt: "asc" },
  });
  return rows.map((m) => ({
    id: m.organization.id,
    name: m.organization.name,
    plan: m.organization.plan,
    roleId: m.roleId,
    roleName: m.role.name,
  }));
}

/** The preferred organization if the user belongs to it, else their first; null without any. */
export async function resolveActiveOrganization(userId: string, preferredId: string | undefined) {
  const organizations = await listUserOrganizations(userId);
  const active = organizations.find((o) => o.id === preferredId) ?? organizations[0] ?? null;
  return { active, organizations };
}
