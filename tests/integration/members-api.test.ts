import { beforeEach, describe, expect, it } from "vitest";
import * as invitations from "@/app/v1/organization/invitations/route";
import * as collection from "@/app/v1/organization/members/route";
import * as item from "@/app/v1/organization/members/[userId]/route";
import { getPrisma } from "@/lib/db";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { removeMember, updateMemberRole } from "@/lib/services/members";
import { call } from "../helpers/api";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

let org: TestOrg;
beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg();
});

const list = (query?: Record<string, string>, key = org.key) => call(collection, "GET", { key, query });
const setRole = (userId: string, roleId: unknown, key = org.key) =>
  call(item, "PUT", { key, params: { userId }, body: { roleId } });
const remove = (userId: string, key = org.key) => call(item, "DELETE", { key, params: { userId } });

async function roleOf(userId: string) {
  const m = await getPrisma().membership.findUnique({ where: { organizationId_userId: { organizationId: org.id, userId } } });
  return m?.roleId ?? null;
}

async function addMembers(n: number) {
  const users = [];
  for (let i = 0; i < n; i++) {
    users.push(await addMember(org.id, `m${i}@example.com`));
    // Distinct join times make the order observable.
    await getPrisma().membership.update({
      where: { organizationId_userId: { organizationId: org.id, userId: users[i]!.id } },
      data: { joinedAt: new Date(Date.now() + (i + 1) * 1000) },
    });
  }
  return users;
}

describe("GET /v1/organization/members", () => {
  it("pages through members in join order with the total", async () => {
    await addMembers(4);
    const first = await list({ pageSize: "2" });
    expect(first.body.data.total).toBe(5);
    expect(first.body.data.members).toHaveLength(2);
    expect(first.body.data.members[0]).toEqual({
      id: org.ownerId,
      email: expect.stringMatching(/^owner-/),
      name: expect.any(String),
      image: null,
      organizationRole: { id: SYSTEM_ROLES.Owner, name: "Owner" },
    });
    const third = await list({ page: "3", pageSize: "2" });
    expect(third.body.data.members.map((m: any) => m.email)).toEqual(["m3@example.com"]);
    expect((await list({ page: "4", pageSize: "2" })).body.data).toEqual({ members: [], total: 5 });
    expect((await list()).body.data.members).toHaveLength(5);
  });

  it("rejects bad paging with 400 naming the field", async () => {
    const bad: Record<string, string>[] = [{ page: "0" }, { page: "-1" }, { page: "x" }, { pageSize: "0" }, { pageSize: "101" }, { pageSize: "2.5" }];
    for (const query of bad) {
      const res = await list(query);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/^(page|pageSize) must be a whole number/);
    }
  });
});

describe("PUT /v1/organization/members/{userId}", () => {
  it("changes a member's role and audits it", async () => {
    const [m] = await addMembers(1);
    const res = await setRole(m!.id, SYSTEM_ROLES.Admin);
    expect(res.body.data.member).toMatchObject({ id: m!.id, organizationRole: { id: SYSTEM_ROLES.Admin, name: "Admin" } });
    expect(await roleOf(m!.id)).toBe(SYSTEM_ROLES.Admin);
    const events = await getPrisma().auditEvent.findMany({ where: { action: "org.members.role.update" } });
    expect(events.map((e) => [e.targetId, e.metadata])).toEqual([[m!.id, { from: SYSTEM_ROLES.Member, to: SYSTEM_ROLES.Admin }]]);
  });

  it("transfers ownership in one step: the previous Owner becomes Admin", async () => {
    const [m] = await addMembers(1);
    expect((await setRole(m!.id, SYSTEM_ROLES.Owner)).status).toBe(200);
    expect(await roleOf(m!.id)).toBe(SYSTEM_ROLES.Owner);
    expect(await roleOf(org.ownerId)).toBe(SYSTEM_ROLES.Admin);
    expect(await getPrisma().membership.count({ where: { organizationId: org.id, roleId: SYSTEM_ROLES.Owner } })).toBe(1);
    expect(await getPrisma().auditEvent.count({ where: { action: "org.members.role.update" } })).toBe(2);
  });

  it("refuses to change the sole Owner's own role (409), unknown roles (422) and unknown members (404)", async () => {
    const res = await setRole(org.ownerId, SYSTEM_ROLES.Admin);
    expect([res.status, res.body.code]).toEqual([409, "conflict"]);
    expect(await roleOf(org.ownerId)).toBe(SYSTEM_ROLES.Owner);
    const [m] = await addMembers(1);
    expect((await setRole(m!.id, "7d0b6a8e-3c1e-4a51-9d7e-1b2c3d4e5f60")).status).toBe(422);
    expect((await setRole("nobody", SYSTEM_ROLES.Admin)).status).toBe(404);
    const bad = await setRole(m!.id, "admin");
    expect([bad.status, bad.body.error]).toEqual([400, "roleId is required and must be a role id (UUID)"]);
  });

  it("lets only the Owner transfer ownership; an Admin cannot make itself Owner", async () => {
    const admin = await addMember(org.id, "admin@example.com", SYSTEM_ROLES.Admin);
    const ctx = { actor: { type: "user" as const, userId: admin.id, organizationId: org.id }, requestId: "r1" };
    await expect(updateMemberRole(ctx, admin.id, { roleId: SYSTEM_ROLES.Owner })).rejects.toThrow("Only the Owner");
    await expect(removeMember(ctx, org.ownerId)).rejects.toThrow("The Owner cannot be removed");
    const owner = { actor: { type: "user" as const, userId: org.ownerId, organizationId: org.id }, requestId: "r2" };
    await updateMemberRole(owner, admin.id, { roleId: SYSTEM_ROLES.Owner });
    expect(await roleOf(admin.id)).toBe(SYSTEM_ROLES.Owner);
  });

  it("does not let a Member change roles at all", async () => {
    const member = await addMember(org.id, "plain@example.com");
    const ctx = { actor: { type: "user" as const, userId: member.id, organizationId: org.id }, requestId: "r" };
    await expect(updateMemberRole(ctx, member.id, { roleId: SYSTEM_ROLES.Admin })).rejects.toThrow(/user:manage/);
  });
});

describe("DELETE /v1/organization/members/{userId}", () => {
  it("removes a member, revokes their pending invitations, and audits", async () => {
    const [m] = await addMembers(1);
    // An invitation for the same email, left over from before they joined.
    await getPrisma().invitation.create({
      data: { organizationId: org.id, email: m!.email, roleId: SYSTEM_ROLES.Member, tokenHash: "h1", expiresAt: new Date(Date.now() + 1e9) },
    });
    const res = await remove(m!.id);
    expect(res.body).toEqual({ success: true, data: { id: m!.id, removed: true }, deprecated: false });
    expect(await roleOf(m!.id)).toBeNull();
    expect((await getPrisma().invitation.findFirstOrThrow()).status).toBe("REVOKED");
    expect((await getPrisma().auditEvent.findFirstOrThrow({ where: { action: "org.members.remove" } })).targetId).toBe(m!.id);
    expect((await remove(m!.id)).status).toBe(404);
    // Gone from the list, and invitable again.
    expect((await list()).body.data.total).toBe(1);
    const again = await call(invitations, "POST", { key: org.key, body: { emails: [m!.email] } });
    expect(again.body.data.invitations).toHaveLength(1);
  });

  it("refuses to remove the Owner with 403", async () => {
    const res = await remove(org.ownerId);
    expect([res.status, res.body.code]).toEqual([403, "forbidden"]);
    expect(await roleOf(org.ownerId)).toBe(SYSTEM_ROLES.Owner);
  });
});

describe("another organization's members", () => {
  it("are 404 for role changes and removal, and never listed", async () => {
    const [m] = await addMembers(1);
    const other = await createOrg();
    expect((await setRole(m!.id, SYSTEM_ROLES.Admin, other.key)).status).toBe(404);
    expect((await setRole(org.ownerId, SYSTEM_ROLES.Owner, other.key)).status).toBe(404);
    expect((await remove(m!.id, other.key)).status).toBe(404);
    expect((await list(undefined, other.key)).body.data.members.map((x: any) => x.id)).toEqual([other.ownerId]);
    expect(await roleOf(m!.id)).toBe(SYSTEM_ROLES.Member);
  });
});

describe("exactly one Owner under concurrency", () => {
  it("holds through 20 concurrent transfers, demotions and removals", async () => {
    const members = await addMembers(6);
    const ops = Array.from({ length: 20 }, (_, i) => {
      const target = members[i % members.length]!;
      switch (i % 4) {
        case 0:
          return setRole(target.id, SYSTEM_ROLES.Owner);
        case 1:
          return setRole(org.ownerId, SYSTEM_ROLES.Member);
        case 2:
          return remove(members[(i + 3) % members.length]!.id);
        default:
          return setRole(target.id, SYSTEM_ROLES.Admin);
      }
    });
    const answers = await Promise.all(ops);
    expect(answers.every((a) => [200, 403, 404, 409].includes(a.status))).toBe(true);
    const owners = await getPrisma().membership.findMany({ where: { organizationId: org.id, roleId: SYSTEM_ROLES.Owner } });
    expect(owners).toHaveLength(1);
  });
});
