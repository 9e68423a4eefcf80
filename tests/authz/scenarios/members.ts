// Members: role changes (plain, against the grant ceiling on the new and on the current role,
// ownership transfer, the Owner's own role), removals, and the two member lists.
import { expect } from "vitest";
import { getPrisma } from "@/lib/db";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { listMembers, removeMember, updateMemberRole } from "@/lib/services/members";
import { searchMembers } from "@/lib/services/member-search";
import { ORG_ID, ROLE, USER } from "../fixture";
import { scenario } from "../matrix";

const roleOf = async (userId: string) =>
  (await getPrisma().membership.findUnique({ where: { organizationId_userId: { organizationId: ORG_ID, userId } } }))?.roleId ??
  null;

/** An allowed role change: the answer and the membership both show the new role. */
function changedTo(userId: string, roleId: string) {
  return async (result: { id: string; organizationRole: { id: string } | null }) => {
    expect(result).toMatchObject({ id: userId, organizationRole: { id: roleId } });
    expect(await roleOf(userId)).toBe(roleId);
  };
}

/** An allowed removal: the answer, and the membership is gone. */
function removed(userId: string) {
  return async (result: { id: string; removed: true }) => {
    expect(result).toEqual({ id: userId, removed: true });
    expect(await roleOf(userId)).toBeNull();
  };
}

const never = () => {
  throw new Error("this call is refused for every actor");
};

export const MEMBERS = [
  scenario({
    name: "updateMemberRole Member -> Analyst [user:manage]",
    run: (ctx) => updateMemberRole(ctx, USER.targetMember, { roleId: ROLE.analyst }),
    audit: "org.members.role.update",
    effect: changedTo(USER.targetMember, ROLE.analyst),
  }),
  scenario({
    name: "updateMemberRole Inviter -> Admin [user:manage]",
    run: (ctx) => updateMemberRole(ctx, USER.targetInviter, { roleId: SYSTEM_ROLES.Admin }),
    audit: "org.members.role.update",
    effect: changedTo(USER.targetInviter, SYSTEM_ROLES.Admin),
  }),
  scenario({
    name: "updateMemberRole Admin -> Inviter [user:manage]",
    run: (ctx) => updateMemberRole(ctx, USER.targetAdmin, { roleId: ROLE.inviter }),
    audit: "org.members.role.update",
    effect: changedTo(USER.targetAdmin, ROLE.inviter),
  }),
  scenario({
    name: "updateMemberRole Member -> Owner [user:manage]",
    run: (ctx) => updateMemberRole(ctx, USER.targetMember, { roleId: SYSTEM_ROLES.Owner }),
    audit: "org.members.role.update",
    async effect(result) {
      await changedTo(USER.targetMember, SYSTEM_ROLES.Owner)(result);
      // A transfer: the previous Owner is now an Admin, and there is one Owner.
      expect(await roleOf(USER.owner)).toBe(SYSTEM_ROLES.Admin);
      expect(await getPrisma().membership.count({ where: { organizationId: ORG_ID, roleId: SYSTEM_ROLES.Owner } })).toBe(1);
    },
  }),
  scenario({
    name: "updateMemberRole Owner -> Admin [user:manage]",
    run: (ctx) => updateMemberRole(ctx, USER.owner, { roleId: SYSTEM_ROLES.Admin }),
    effect: never,
  }),
  scenario({
    name: "removeMember a Member [user:delete]",
    run: (ctx) => removeMember(ctx, USER.targetMember),
    audit: "org.members.remove",
    effect: removed(USER.targetMember),
  }),
  scenario({
    name: "removeMember the Owner [user:delete]",
    run: (ctx) => removeMember(ctx, USER.owner),
    effect: never,
  }),
  scenario({
    name: "removeMember an Admin [user:delete]",
    run: (ctx) => removeMember(ctx, USER.targetAdmin),
    audit: "org.members.remove",
    effect: removed(USER.targetAdmin),
  }),
  scenario({
    name: "listMembers [user:read]",
    run: (ctx) => listMembers(ctx, { page: 1, pageSize: 25 }),
    effect(result, f) {
      expect(result.total).toBe(f.memberCount);
      expect(result.members.map((m) => m.id)).toContain(USER.owner);
    },
  }),
  scenario({
    name: "searchMembers [user:read]",
    run: (ctx) => searchMembers(ctx, { q: "target", page: 1, pageSize: 25 }),
    effect: (result) =>
      expect(result.members.map((m) => m.id).sort()).toEqual([USER.targetAdmin, USER.targetInviter, USER.targetMember].sort()),
  }),
];
