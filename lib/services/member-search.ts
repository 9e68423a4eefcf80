// Read side of the settings members page: the member list with a search box and the join date
// (listMembers answers the API's exact shape, which has neither). The roles a user may hand out:
// grantableRoles in roles.ts.
import "server-only";
import { getPrisma } from "@/lib/db";
import type { MemberDto } from "@/lib/validation/members";
import type { ServiceContext } from "./context";
import { assertCan } from "./permissions";

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
