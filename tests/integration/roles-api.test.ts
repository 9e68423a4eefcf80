import { beforeEach, describe, expect, it } from "vitest";
import * as policiesRoute from "@/app/v1/organization/policies/route";
import * as rolesRoute from "@/app/v1/organization/roles/route";
import * as roleItem from "@/app/v1/organization/roles/[roleId]/route";
import { getPrisma } from "@/lib/db";
import { SYSTEM_POLICIES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { PERMISSIONS } from "@/lib/services/permissions";
import { createRole, listRoles } from "@/lib/services/roles";
import { call } from "../helpers/api";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

const { FullAccess, ReadOnly } = SYSTEM_POLICIES;
const UNKNOWN = "5f0c6d3e-8d4b-4c1a-9a51-2f1f7d9e0b11";
let org: TestOrg;

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
});

const list = (key = org.key) => call(rolesRoute, "GET", { key });
const create = (body: unknown, key = org.key) => call(rolesRoute, "POST", { key, body });
const update = (id: string, body: unknown, key = org.key) =>
  call(roleItem, "PUT", { key, body, params: { roleId: id } });
const remove = (id: string, key = org.key) => call(roleItem, "DELETE", { key, params: { roleId: id } });
const names = (items: { name: string }[]) => items.map((i) => i.name);

const customRoles = () =>
  getPrisma().role.findMany({
    where: { organizationId: org.id },
    include: { policies: true },
    orderBy: { name: "asc" },
  });
const audits = (action: string) =>
  getPrisma().auditEvent.findMany({ where: { action }, orderBy: { createdAt: "asc" } });

describe("the system roles", () => {
  it("come first (Owner, Admin, Member); Owner and Admin hold every permission, Member the :read ones", async () => {
    const { roles } = (await list()).body.data;
    expect(roles.map((r: any) => [r.id, r.name, r.organizationId])).toEqual([
      [SYSTEM_ROLES.Owner, "Owner", null],
      [SYSTEM_ROLES.Admin, "Admin", null],
      [SYSTEM_ROLES.Member, "Member", null],
    ]);
    const { policies } = (await call(policiesRoute, "GET", { key: org.key })).body.data;
    const grants = (role: any) =>
      role.policies.flatMap((ref: any) => names(policies.find((p: any) => p.id === ref.id).permissions)).sort();
    const all = [...PERMISSIONS].sort();
    expect(grants(roles[0])).toEqual(all);
    expect(grants(roles[1])).toEqual(all);
    expect(grants(roles[2])).toEqual(all.filter((n) => n.endsWith(":read")));
    expect(grants(roles[2])).toHaveLength(12);
  });
});

describe("POST /v1/organization/roles", () => {
  it("creates a custom role with de-duplicated policies, audited, listed after the system roles by name", async () => {
    const res = await create({
      name: "  Reviewer ",
      policyIds: [ReadOnly, ReadOnly.toUpperCase()],
      description: " Reads ",
    });
    expect(res.status).toBe(200);
    const { role } = res.body.data;
    expect(role).toEqual({
      id: expect.any(String),
      name: "Reviewer",
      description: "Reads",
      organizationId: org.id,
      policies: [{ id: ReadOnly, name: "Read only" }],
    });
    const [row] = await customRoles();
    expect(row).toMatchObject({ id: role.id, name: "Reviewer", description: "Reads" });
    expect(row!.policies.map((p) => p.policyId)).toEqual([ReadOnly]);
    const [event] = await audits("org.roles.create");
    expect(event).toMatchObject({
      organizationId: org.id,
      actorType: "apiKey",
      actorId: String(org.apiKeyId),
      targetType: "role",
      targetId: role.id,
      requestId: res.headers.get("x-request-id"),
      metadata: { name: "Reviewer", description: "Reads", policyIds: [ReadOnly] },
    });

    await create({ name: "beta", policyIds: [] });
    await create({ name: "Gamma", policyIds: [FullAccess, ReadOnly] });
    const listed = (await list()).body.data.roles;
    expect(names(listed)).toEqual(["Owner", "Admin", "Member", "beta", "Gamma", "Reviewer"]);
    expect(listed[3]).toMatchObject({ description: null, policies: [] });
    expect(names(listed[4].policies)).toEqual(["Full access", "Read only"]);
  });

  it("is a 409 for a name taken in this org or a system role name, ignoring case; nothing is written", async () => {
    await create({ name: "Editor", policyIds: [] });
    const taken = await create({ name: "EDITOR", policyIds: [] });
    expect([taken.status, taken.body.code, taken.body.error]).toEqual([
      409,
      "conflict",
      'A role named "Editor" already exists in this organization',
    ]);
    const system = await create({ name: " admin ", policyIds: [] });
    expect([system.status, system.body.error]).toEqual([
      409,
      '"Admin" is the name of a system role; choose another name',
    ]);
    // Another organization's names do not count.
    expect((await create({ name: "Editor", policyIds: [] }, (await createOrg()).key)).status).toBe(200);
    expect(names(await customRoles())).toEqual(["Editor"]);
    expect(await audits("org.roles.create")).toHaveLength(2);
  });

  it("is a 422 naming unknown policies, also another org's; nothing is written", async () => {
    const other = await createOrg();
    const theirs = (await call(policiesRoute, "POST", { key: other.key, body: { name: "Theirs", permissionIds: [] } }))
      .body.data.policy;
    const res = await create({ name: "Editor", policyIds: [ReadOnly, UNKNOWN, theirs.id] });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: "unprocessable" });
    expect(res.body.error).toBe(`policyIds: no such policies in this organization: ${UNKNOWN}, ${theirs.id}`);
    expect(await customRoles()).toEqual([]);
    expect(await audits("org.roles.create")).toEqual([]);
  });

  it.each([
    [{ policyIds: [] }, "name is required and must be a string"],
    [{ name: "   ", policyIds: [] }, "name must not be empty"],
    [{ name: "x".repeat(101), policyIds: [] }, "name must be at most 100 characters"],
    [{ name: "R" }, "policyIds is required and must be a list of policy ids"],
    [{ name: "R", policyIds: ["nope"] }, "policyIds must contain only policy ids (UUIDs)"],
    [{ name: "R", policyIds: Array.from({ length: 101 }, () => ReadOnly) }, "policyIds may contain at most 100 ids"],
    [{ name: "R", policyIds: [], description: "d".repeat(501) }, "description must be at most 500 characters"],
    [{ name: "R", policyIds: [], description: 7 }, "description must be a string or null"],
  ])("answers 400 naming the field for %j", async (body, message) => {
    const res = await create(body);
    expect([res.status, res.body.code, res.body.error]).toEqual([400, "validation_failed", message]);
    expect(await customRoles()).toEqual([]);
  });

  it("lets exactly one of several concurrent creates of one name (in any case) through", async () => {
    const spellings = ["Editor", "editor", "EDITOR", "Editor", "eDiToR", "Editor"];
    const answers = await Promise.all(spellings.map((name) => create({ name, policyIds: [ReadOnly] })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    expect(answers.filter((a) => a.status === 409).every((a) => /already exists/.test(a.body.error))).toBe(true);
    expect(await customRoles()).toHaveLength(1);
    expect(await audits("org.roles.create")).toHaveLength(1);
  });
});

describe("PUT /v1/organization/roles/{roleId}", () => {
  it("replaces name, description and policies; audits before and after", async () => {
    const { role } = (await create({ name: "Editor", policyIds: [ReadOnly], description: "old" })).body.data;
    const res = await update(role.id, { name: "editor", policyIds: [FullAccess] });
    expect(res.body.data.role).toEqual({
      id: role.id,
      name: "editor",
      description: null,
      organizationId: org.id,
      policies: [{ id: FullAccess, name: "Full access" }],
    });
    const [row] = await customRoles();
    expect([row!.name, row!.description, row!.policies.map((p) => p.policyId)]).toEqual(["editor", null, [FullAccess]]);
    const [event] = await audits("org.roles.update");
    expect(event!.metadata).toEqual({
      from: { name: "Editor", description: "old", policyIds: [ReadOnly] },
      to: { name: "editor", description: null, policyIds: [FullAccess] },
    });
  });

  it("refuses another role's name (409) and unknown policies (422), leaving the role as it was", async () => {
    const { role } = (await create({ name: "Editor", policyIds: [ReadOnly] })).body.data;
    await create({ name: "Viewer", policyIds: [] });
    expect((await update(role.id, { name: "VIEWER", policyIds: [] })).status).toBe(409);
    expect((await update(role.id, { name: "Owner", policyIds: [] })).status).toBe(409);
    const unknown = await update(role.id, { name: "Editor 2", policyIds: [UNKNOWN] });
    expect([unknown.status, unknown.body.error]).toEqual([
      422,
      `policyIds: no such policy in this organization: ${UNKNOWN}`,
    ]);
    const row = (await customRoles()).find((r) => r.id === role.id)!;
    expect([row.name, row.policies.map((p) => p.policyId)]).toEqual(["Editor", [ReadOnly]]);
    expect(await audits("org.roles.update")).toEqual([]);
  });

  it("is a 403 for the system roles (as is DELETE), 404 for unknown ids and 400 for a non-UUID id", async () => {
    const before = await getPrisma().rolePolicy.findMany({ orderBy: { roleId: "asc" } });
    for (const id of Object.values(SYSTEM_ROLES)) {
      const res = await update(id, { name: "Renamed", policyIds: [] });
      expect([res.status, res.body.code]).toEqual([403, "forbidden"]);
      expect(res.body.error).toMatch(/is a system role/);
      expect((await remove(id)).status).toBe(403);
    }
    expect((await update(UNKNOWN, { name: "X", policyIds: [] })).status).toBe(404);
    const bad = await update("12", { name: "X", policyIds: [] });
    expect([bad.status, bad.body.error]).toEqual([400, "roleId must be a role id (UUID)"]);
    expect(await getPrisma().rolePolicy.findMany({ orderBy: { roleId: "asc" } })).toEqual(before);
    expect(names(await getPrisma().role.findMany({ where: { scope: "ORGANIZATION" }, orderBy: { name: "asc" } }))).toEqual(["Admin", "Member", "Owner"]);
  });
});

describe("DELETE /v1/organization/roles/{roleId}", () => {
  it("deletes an unused custom role and its policy links, audited; a second delete is 404", async () => {
    const { role } = (await create({ name: "Editor", policyIds: [ReadOnly, FullAccess] })).body.data;
    const res = await remove(role.id);
    expect(res.body).toEqual({ success: true, data: { id: role.id, deleted: true }, deprecated: false });
    expect(await customRoles()).toEqual([]);
    expect(await getPrisma().rolePolicy.count({ where: { roleId: role.id } })).toBe(0);
    expect((await audits("org.roles.delete")).map((a) => [a.targetId, a.requestId])).toEqual([
      [role.id, res.headers.get("x-request-id")],
    ]);
    expect(names((await list()).body.data.roles)).toEqual(["Owner", "Admin", "Member"]);
    expect((await remove(role.id)).status).toBe(404);
  });

  it("is a 409 while a member holds the role or a pending (even expired) invitation offers it", async () => {
    const { role } = (await create({ name: "Editor", policyIds: [] })).body.data;
    const member = await addMember(org.id, "m@example.com", role.id);
    const invite = (email: string, status: "PENDING" | "ACCEPTED", expiresAt: Date) =>
      getPrisma().invitation.create({
        data: { organizationId: org.id, email, roleId: role.id, status, tokenHash: email, expiresAt },
      });
    const expired = await invite("late@example.com", "PENDING", new Date(Date.now() - 1000));
    await invite("done@example.com", "ACCEPTED", new Date());

    const both = await remove(role.id);
    expect([both.status, both.body.error]).toEqual([
      409,
      'Role "Editor" is still assigned to 1 member and 1 pending invitation; give the members another role and revoke the invitations first',
    ]);
    await getPrisma().membership.update({
      where: { organizationId_userId: { organizationId: org.id, userId: member.id } },
      data: { roleId: SYSTEM_ROLES.Member },
    });
    expect((await remove(role.id)).body.error).toMatch(/still assigned to 1 pending invitation;/);
    expect(await customRoles()).toHaveLength(1);

    await getPrisma().invitation.update({ where: { id: expired.id }, data: { status: "REVOKED" } });
    expect((await remove(role.id)).status).toBe(200);
    // Past invitations only remembered the role; they now point at Member.
    const past = await getPrisma().invitation.findMany({ where: { organizationId: org.id } });
    expect(past.map((i) => i.roleId)).toEqual([SYSTEM_ROLES.Member, SYSTEM_ROLES.Member]);
    expect((await audits("org.roles.delete"))[0]!.metadata).toMatchObject({ pastInvitationsMovedToMember: 2 });
  });
});

describe("another organization's key", () => {
  it("gets 404 for this org's roles on every route, sees none of them, and changes nothing", async () => {
    const { role } = (await create({ name: "Editor", policyIds: [ReadOnly] })).body.data;
    const outsider = await createOrg();
    const snapshot = async () => ({
      roles: await customRoles(),
      audit: await getPrisma().auditEvent.findMany({ orderBy: { id: "asc" } }),
    });
    const before = await snapshot();
    expect((await update(role.id, { name: "Mine", policyIds: [] }, outsider.key)).status).toBe(404);
    expect((await remove(role.id, outsider.key)).status).toBe(404);
    expect(names((await list(outsider.key)).body.data.roles)).toEqual(["Owner", "Admin", "Member"]);
    expect(await snapshot()).toEqual(before);
  });
});

describe("a signed-in user (settings UI)", () => {
  const asUser = (userId: string) => ({
    actor: { type: "user" as const, userId, organizationId: org.id },
    requestId: "r-1",
  });

  it("may only create roles whose permissions they hold, and needs iam:manage at all", async () => {
    const iam = await getPrisma().permission.findMany({ where: { name: { in: ["iam:read", "iam:manage"] }, scope: "ORGANIZATION" } });
    const body = { name: "IAM", permissionIds: iam.map((p) => p.id) };
    const { policy } = (await call(policiesRoute, "POST", { key: org.key, body })).body.data;
    const { role } = (await create({ name: "IAM admin", policyIds: [policy.id] })).body.data;
    const user = asUser((await addMember(org.id, "iam@example.com", role.id)).id);

    await expect(createRole(user, { name: "Boss", policyIds: [FullAccess], description: null })).rejects.toMatchObject({
      status: 403,
      message: expect.stringMatching(
        /^You cannot grant a role with permissions you do not hold \(apiKey:manage, .*user:read/,
      ),
    });
    const own = await createRole(user, { name: "IAM too", policyIds: [policy.id], description: null });
    expect(own.policies).toEqual([{ id: policy.id, name: "IAM" }]);
    const byUser = { actorType: "user", actorId: user.actor.userId, targetId: own.id };
    expect(await audits("org.roles.create")).toContainEqual(expect.objectContaining(byUser));

    const reader = asUser((await addMember(org.id, "reader@example.com")).id);
    expect(names(await listRoles(reader))).toContain("IAM too");
    await expect(createRole(reader, { name: "Mine", policyIds: [], description: null })).rejects.toMatchObject({
      status: 403,
      message: "Your role does not allow this action (it needs the iam:manage permission)",
    });
    expect(names(await customRoles())).toEqual(["IAM admin", "IAM too"]);
  });
});
