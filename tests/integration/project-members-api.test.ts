// /v1/projects/{projectId}/members (contract §6): listing in join order, role changes with
// project ownership transfer, leaving the project only; requests shaped as the SDKs send them.
import { beforeEach, describe, expect, it } from "vitest";
import * as collection from "@/app/v1/projects/[projectId]/members/route";
import * as item from "@/app/v1/projects/[projectId]/members/[userId]/route";
import { getPrisma } from "@/lib/db";
import { PROJECT_POLICIES, PROJECT_ROLES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";
import {
  addProjectMember,
  createProject,
  keyMadeBy,
  projectInvitation,
  projectPolicy,
  projectRole,
  sdk,
  snapshotAll,
} from "./project-iam-fixtures";

const { Owner: OWNER, Manager: MANAGER, Member: MEMBER } = PROJECT_ROLES;
let org: TestOrg;
let project: { id: string; organizationId: string };

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
  project = await createProject(org.id, "Evals");
});

const list = (query?: Record<string, string>, key = org.key, projectId = project.id) =>
  sdk(collection, "GET", { key, params: { projectId }, query });
const setRole = (userId: string, roleId: unknown, key = org.key, projectId = project.id) =>
  sdk(item, "PUT", { key, params: { projectId, userId }, body: { roleId } });
const remove = (userId: string, key = org.key, projectId = project.id) =>
  sdk(item, "DELETE", { key, params: { projectId, userId } });
const projectRoleOf = async (userId: string, projectId = project.id) =>
  (await getPrisma().projectMembership.findUnique({ where: { projectId_userId: { projectId, userId } } }))?.roleId ?? null;
const audits = (action: string) => getPrisma().auditEvent.findMany({ where: { action }, orderBy: { createdAt: "asc" } });
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe("GET /v1/projects/{projectId}/members", () => {
  it("pages through the project's members in join order with their project role and the total", async () => {
    const owner = await addProjectMember(project, "owner@acme.test", OWNER, { joinedAt: at(1) });
    await addProjectMember(project, "admin@acme.test", MEMBER, { joinedAt: at(2), orgRoleId: SYSTEM_ROLES.Admin });
    await addProjectMember(project, "manager@acme.test", MANAGER, { joinedAt: at(3) });
    // Org members outside the project, and another project's members, are not listed.
    await addProjectMember(await createProject(org.id), "elsewhere@acme.test", MEMBER);

    const all = await list();
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ success: true, deprecated: false, data: { total: 3 } });
    expect(all.body.data.members[0]).toEqual({
      id: owner.id,
      email: "owner@acme.test",
      name: "owner",
      image: null,
      projectRole: { id: OWNER, name: "Owner" },
    });
    expect(all.body.data.members.map((m: any) => [m.email, m.projectRole.name])).toEqual([
      ["owner@acme.test", "Owner"],
      ["admin@acme.test", "Member"],
      ["manager@acme.test", "Manager"],
    ]);
    const second = await list({ page: "2", pageSize: "2" });
    expect(second.body.data).toEqual({ members: [expect.objectContaining({ email: "manager@acme.test" })], total: 3 });
    expect((await list({ page: "3", pageSize: "2" })).body.data).toEqual({ members: [], total: 3 });
  });

  it("rejects bad paging with 400 naming the field, as for org members", async () => {
    const bad: Record<string, string>[] = [{ page: "0" }, { page: "x" }, { pageSize: "0" }, { pageSize: "101" }, { pageSize: "2.5" }];
    for (const query of bad) {
      const res = await list(query);
      expect([res.status, res.body.code]).toEqual([400, "validation_failed"]);
      expect(res.body.error).toMatch(/^(page|pageSize) must be a whole number/);
    }
  });
});

describe("PUT /v1/projects/{projectId}/members/{userId}", () => {
  it("gives a system or this project's custom role, audited with the project", async () => {
    const m = await addProjectMember(project, "m@acme.test", MEMBER);
    const reader = await projectRole(project.id, "Reader", [(await projectPolicy(project.id, "Read", ["dataset:read"])).id]);
    const res = await setRole(m.id, reader.id);
    expect(res.status).toBe(200);
    expect(res.body.data.member).toEqual({ id: m.id, email: "m@acme.test", name: "m", image: null, projectRole: { id: reader.id, name: "Reader" } });
    expect((await setRole(m.id, MANAGER)).body.data.member.projectRole).toEqual({ id: MANAGER, name: "Manager" });
    expect(await projectRoleOf(m.id)).toBe(MANAGER);
    const events = await audits("project.members.role.update");
    expect(events.map((e) => [e.targetId, e.projectId, e.actorId, e.metadata])).toEqual([
      [m.id, project.id, String(org.apiKeyId), { from: MEMBER, to: reader.id }],
      [m.id, project.id, String(org.apiKeyId), { from: reader.id, to: MANAGER }],
    ]);
    // The org role is untouched.
    expect((await getPrisma().membership.findFirst({ where: { userId: m.id } }))!.roleId).toBe(SYSTEM_ROLES.Member);
  });

  it("giving Owner transfers project ownership (the previous Owner becomes Manager); with no Owner it assigns it", async () => {
    const [a, b] = [await addProjectMember(project, "a@acme.test", MEMBER), await addProjectMember(project, "b@acme.test", MEMBER)];
    expect((await setRole(a.id, OWNER)).body.data.member.projectRole).toEqual({ id: OWNER, name: "Owner" });
    expect(await audits("project.members.role.update")).toHaveLength(1);
    const res = await setRole(b.id, OWNER);
    expect(res.status).toBe(200);
    expect([await projectRoleOf(a.id), await projectRoleOf(b.id)]).toEqual([MANAGER, OWNER]);
    const events = (await audits("project.members.role.update")).slice(1);
    expect(events.map((e) => [e.targetId, e.metadata])).toEqual([
      [a.id, { from: OWNER, to: MANAGER, reason: "ownership transferred" }],
      [b.id, { from: MEMBER, to: OWNER }],
    ]);
  });

  it("refuses changing the project Owner's own role (409), roles that are not this project's (422) and non-members (404)", async () => {
    const owner = await addProjectMember(project, "owner@acme.test", OWNER);
    const m = await addProjectMember(project, "m@acme.test", MEMBER);
    const orgOnly = await getPrisma().user.create({ data: { email: "org-only@acme.test" } });
    await getPrisma().membership.create({ data: { organizationId: org.id, userId: orgOnly.id, roleId: SYSTEM_ROLES.Member } });
    const theirs = await projectRole((await createProject(org.id)).id, "Theirs", []);
    const orgRole = await getPrisma().role.create({ data: { organizationId: org.id, name: "Org custom" } });
    const before = await snapshotAll();

    const own = await setRole(owner.id, MANAGER);
    expect([own.status, own.body.error]).toEqual([409, "The project Owner's role cannot be changed; transfer project ownership to another member first"]);
    for (const roleId of [SYSTEM_ROLES.Admin, SYSTEM_ROLES.Owner, orgRole.id, theirs.id, PROJECT_POLICIES.FullAccess, "5f0c6d3e-8d4b-4c1a-9a51-2f1f7d9e0b11"]) {
      const res = await setRole(m.id, roleId);
      expect([res.status, res.body.error]).toEqual([422, `roleId ${roleId} is not a role of this project`]);
    }
    for (const userId of [orgOnly.id, "nobody", org.ownerId]) {
      const res = await setRole(userId, MANAGER);
      expect([res.status, res.body.error]).toEqual([404, `Member ${userId} not found in this project`]);
    }
    expect(await snapshotAll()).toEqual(before);
  });

  it("moves ownership only for the project Owner or an org project:manage holder, also through their keys", async () => {
    const owner = await addProjectMember(project, "owner@acme.test", OWNER);
    const manager = await addProjectMember(project, "manager@acme.test", MANAGER);
    const [a, b] = [await addProjectMember(project, "a@acme.test", MEMBER), await addProjectMember(project, "b@acme.test", MEMBER)];
    const orgAdmin = await getPrisma().user.create({ data: { email: "admin@acme.test" } });
    await getPrisma().membership.create({ data: { organizationId: org.id, userId: orgAdmin.id, roleId: SYSTEM_ROLES.Admin } });

    const keys = { owner: await keyMadeBy(org.id, owner.id), manager: await keyMadeBy(org.id, manager.id), admin: await keyMadeBy(org.id, orgAdmin.id) };

    const before = await snapshotAll();
    const refused = await setRole(a.id, OWNER, keys.manager);
    expect([refused.status, refused.body.error]).toEqual([403, "Only the project Owner can transfer project ownership"]);
    expect(await snapshotAll()).toEqual(before);

    expect((await setRole(a.id, OWNER, keys.owner)).status).toBe(200);
    expect([await projectRoleOf(owner.id), await projectRoleOf(a.id)]).toEqual([MANAGER, OWNER]);
    // The old Owner's key now acts as a Manager.
    expect((await setRole(b.id, OWNER, keys.owner)).status).toBe(403);
    // Not a project member, but an org Admin: acts as the project's Owner.
    expect((await setRole(b.id, OWNER, keys.admin)).status).toBe(200);
    expect([await projectRoleOf(a.id), await projectRoleOf(b.id)]).toEqual([MANAGER, OWNER]);
    expect(await projectRoleOf(orgAdmin.id)).toBeNull();
  });

  it("holds exactly one project Owner through 20 concurrent transfers", async () => {
    await addProjectMember(project, "owner@acme.test", OWNER);
    const members = [];
    for (let i = 0; i < 20; i++) members.push(await addProjectMember(project, `m${i}@acme.test`, MEMBER));
    const answers = await Promise.all(members.map((m) => setRole(m.id, OWNER)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const owners = await getPrisma().projectMembership.findMany({ where: { projectId: project.id, roleId: OWNER } });
    expect(owners).toHaveLength(1);
    expect(await getPrisma().projectMembership.count({ where: { projectId: project.id, roleId: MANAGER } })).toBe(20);
    // 20 promotions and 20 demotions (the first one's from the original Owner).
    expect(await audits("project.members.role.update")).toHaveLength(40);
  });
});

describe("DELETE /v1/projects/{projectId}/members/{userId}", () => {
  it("takes the member out of the project only and revokes their open invitations to it", async () => {
    const m = await addProjectMember(project, "m@acme.test", MANAGER);
    const other = await createProject(org.id);
    await addProjectMember(other, "m@acme.test", MEMBER);
    const pending = await projectInvitation(project, "m@acme.test", MEMBER, "PENDING");
    const elsewhere = await projectInvitation(other, "x@acme.test", MEMBER, "PENDING");
    const mail = await getPrisma().emailOutbox.create({
      data: { organizationId: org.id, invitationId: pending.id, kind: "invitation", recipient: "m@acme.test", payload: {}, secret: "sealed", idempotencyKey: "k1" },
    });

    const res = await remove(m.id);
    expect(res.body).toEqual({ success: true, data: { id: m.id, removed: true }, deprecated: false });
    expect(await projectRoleOf(m.id)).toBeNull();
    expect(await projectRoleOf(m.id, other.id)).toBe(MEMBER);
    expect(await getPrisma().membership.count({ where: { organizationId: org.id, userId: m.id } })).toBe(1);
    const statuses = await getPrisma().invitation.findMany({ select: { id: true, status: true, revokedAt: true }, orderBy: { id: "asc" } });
    expect(statuses.find((i) => i.id === pending.id)).toMatchObject({ status: "REVOKED", revokedAt: expect.any(Date) });
    expect(statuses.find((i) => i.id === elsewhere.id)!.status).toBe("PENDING");
    expect(await getPrisma().emailOutbox.findUnique({ where: { id: mail.id } })).toMatchObject({ status: "CANCELLED", secret: null });
    const [event] = await audits("project.members.remove");
    expect(event).toMatchObject({ projectId: project.id, targetId: m.id, requestId: res.headers.get("x-request-id") });
    expect(event!.metadata).toMatchObject({ email: "m@acme.test", roleId: MANAGER });
    expect((await remove(m.id)).status).toBe(404);
  });

  it("revokes a declined invitation to this project too", async () => {
    const m = await addProjectMember(project, "m@acme.test", MEMBER);
    const declined = await projectInvitation(project, "m@acme.test", MEMBER, "DECLINED");
    expect((await remove(m.id)).status).toBe(200);
    expect((await getPrisma().invitation.findUniqueOrThrow({ where: { id: declined.id } })).status).toBe("REVOKED");
  });

  it("refuses the project Owner (403) and non-members (404), changing nothing", async () => {
    const owner = await addProjectMember(project, "owner@acme.test", OWNER);
    const before = await snapshotAll();
    const res = await remove(owner.id);
    expect([res.status, res.body.error]).toEqual([403, "The project Owner cannot be removed; transfer project ownership to another member first"]);
    expect((await remove(org.ownerId)).status).toBe(404);
    expect(await snapshotAll()).toEqual(before);
  });
});

describe("other projects and other organizations", () => {
  it("answer 404 on every route for another org's project, another project's member, and change nothing", async () => {
    const m = await addProjectMember(project, "m@acme.test", MEMBER);
    const outsider = await createOrg({ name: "Outsider" });
    const theirProject = await createProject(outsider.id, "Theirs");
    const theirMember = await addProjectMember(theirProject, "t@outsider.test", MEMBER);
    const sibling = await createProject(org.id, "Sibling");
    const siblingMember = await addProjectMember(sibling, "s@acme.test", MEMBER);
    const before = await snapshotAll();

    for (const [key, projectId, userId] of [
      [outsider.key, project.id, m.id], // another org's key on this project
      [org.key, theirProject.id, theirMember.id], // this org's key on another org's project
      [org.key, "nope", m.id],
    ] as const) {
      expect((await list(undefined, key, projectId)).status).toBe(404);
      expect((await setRole(userId, MANAGER, key, projectId)).status).toBe(404);
      expect((await remove(userId, key, projectId)).status).toBe(404);
    }
    expect((await setRole(siblingMember.id, MANAGER)).status).toBe(404);
    expect((await remove(siblingMember.id)).status).toBe(404);
    expect((await setRole(m.id, MANAGER, org.key, sibling.id)).status).toBe(404);
    expect(await snapshotAll()).toEqual(before);
  });
});
