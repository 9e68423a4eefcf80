// Read side of the settings pages for members and invitations: the member list with a search
// box and the join date (listMembers answers the API's exact shape, which has neither), and the
// roles a signed-in user may hand out.
import "server-only";
import { getPrisma } from "@/lib/db";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import type { MemberDto } from "@/lib/validation/members";
import type { RoleDto } from "@/lib/validation/roles";
import type { Actor, ServiceContext } from "./context";
import { assertCan, can, permissionsOf } from "./permissions";
import { listPolicies } from "./policies";
import { listRoles } from "./roles";

export interface MemberSearch {
  /** Matched case-insensitively against the email and the name; blank lists everyone. */
  q?: string;
  page: number;
  pageSize: number;
}

export type MemberRow = MemberDto & { joinedAt: string };

export async function searchMembers(ctx: ServiceContext, search: MemberSearch) {
  await assertCan(ctx.actor, "user:read");
  const q = search.q?.trim().slice(0, 100);
  const where = {
    organizationId: ctx.actor.organizationId,
    ...(q
      ? {
          user: {
            OR: [
              { email: { contains: q, mode: "insensitive" as const } },
              { name: { contains: q, mode: "insensitive" as const } },
            ],
          },
        }
      : {}),
  };
  const prisma = getPrisma();
  const [rows, total] = await Promise.all([
    prisma.membership.findMany({
      where,
      select: {
        joinedAt: true,
        user: { select: { id: true, email: true, name: true, image: true } },
        role: { select: { id: true, name: true } },
      },
      // The API's order (join time), so a member keeps their place while the list is paged.
      orderBy: [{ joinedAt: "asc" }, { userId: "asc" }],
      skip: (search.page - 1) * search.pageSize,
      take: search.pageSize,
    }),
    prisma.membership.count({ where }),
  ]);
  const members: MemberRow[] = rows.map(({ user, role, joinedAt }) => ({
    ...user,
    organizationRole: role,
    joinedAt: joinedAt.toISOString(),
  }));
  return { members, total };
}

export interface GrantableRoles {
  /** Every role of the organization (for names), in listRoles' order. */
  all: RoleDto[];
  /** The ones this user may give: permissions within their own; Owner only for the Owner. */
  grantable: RoleDto[];
}

/**
 * Mirrors the services' rule (assertCanGrantRole) so the pickers only offer what would be
 * accepted; the services still decide. Without iam:read the roles cannot be listed at all.
 */
export async function grantableRoles(ctx: ServiceContext): Promise<GrantableRoles> {
  if (!(await can(ctx.actor, "iam:read"))) return { all: [], grantable: [] };
  const [roles, policies, held, isOwner] = await Promise.all([
    listRoles(ctx),
    listPolicies(ctx),
    permissionsOf(ctx.actor),
    actorIsOwner(ctx.actor),
  ]);
  const permissionsOfPolicy = new Map(policies.map((p) => [p.id, p.permissions.map((x) => x.name)]));
  const grantable = roles.filter((role) => {
    // Only the Owner may hand over ownership (updateMemberRole refuses anyone else).
    if (role.id === SYSTEM_ROLES.Owner) return isOwner;
    return role.policies.every((p) => (permissionsOfPolicy.get(p.id) ?? []).every((name) => held.has(name)));
  });
  return { all: roles, grantable };
}

async function actorIsOwner(actor: Actor): Promise<boolean> {
  if (actor.type !== "user") return false;
  const own = await getPrisma().membership.findUnique({
    where: { organizationId_userId: { organizationId: actor.organizationId, userId: actor.userId } },
    select: { roleId: true },
  });
  return own?.roleId === SYSTEM_ROLES.Owner;
}
