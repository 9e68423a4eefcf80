// /v1/projects/{projectId}/roles (contract §6): the organization's role rules at project scope,
// with requests shaped as the SDKs send them.
import { beforeEach, describe, expect, it } from "vitest";
import * as rolesRoute from "@/app/v1/projects/[projectId]/roles/route";
import * as roleItem from "@/app/v1/projects/[projectId]/roles/[roleId]/route";
import { getPrisma } from "@/lib/db";
import { PROJECT_POLICIES, PROJECT_ROLES, SYSTEM_POLICIES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";
import { addProjectMember, createProject, projectInvitation, projectPolicy, projectRole, sdk, snapshotAll } from "./project-iam-fixtures";

const { FullAccess, Contributor } = PROJECT_POLICIES;
const UNKNOWN = "5f0c6d3e-8d4b-4c1a-9a51-2f1f7d9e0b11";
let org: TestOrg;
let project: { id: string; organizationId: string };

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
  project = await createProject(org.id, "Evals");
});

const list = (key = org.key, projectId = project.id) => sdk(rolesRoute, "GET", { key, params: { projectId } });
const create = (body: unknown, key = org.key, projectId = project.id) => sdk(rolesRoute, "POST", { key, params: { projectId }, body });
const update = (roleId: string, body: unknown, key = org.key, projectId = project.id) =>
  sdk(roleItem, "PUT", { key, params: { projectId, roleId }, body });
const remove = (roleId: string, key = org.key, projectId = project.id) => sdk(roleItem, "DELETE", { key, params: { projectId, roleId } });
const names = (items: { name: string }[]) => items.map((i) => i.name);
const customRoles = () => getPrisma().role.findMany({ where: { projectId: project.id }, include: { policies: true }, orderBy: { name: "asc" } });
const audits = (action: string) => getPrisma().auditEvent.findMany({ where: { action }, orderBy: { createdAt: "asc" } });

describe("GET /v1/projects/{projectId}/roles", () => {
  it("lists Owner, Manager, Member (projectId null), then this project's roles by name, nothing else", async () => {
    await projectRole(project.id, "reviewer", []);
    await projectRole(project.id, "Analyst", [Contributor]);
    await projectRole((await createProject(org.id)).id, "Sibling's", []);
    await getPrisma().role.create({ data: { organizationId: org.id, name: "Org custom" } });
    const res = await list();
    expect(res.status).toBe(200);
    const { roles } = res.body.data;
    expect(roles.slice(0, 3)).toEqual([
      { id: PROJECT_ROLES.Owner, name: "Owner", description: expect.any(String), projectId: null, policies: [{ id: FullAccess, name: "Project full access" }] },
      { id: PROJECT_ROLES.Manager, name: "Manager", description: expect.any(String), projectId: null, policies: [{ id: FullAccess, name: "Project full access" }] },
      { id: PROJECT_ROLES.Member, name: "Member", description: expect.any(String), projectId: null, policies: [{ id: Contributor, name: "Project contributor" }] },
    ]);
    expect(roles.slice(3).map((r: any) => [r.name, r.projectId, names(r.policies)])).toEqual([
      ["Analyst", project.id, ["Project contributor"]],
      ["reviewer", project.id, []],
    ]);
    expect(roles.every((r: any) => !("organizationId" in r))).toBe(true);
  });
});

describe("POST /v1/projects/{projectId}/roles", () => {
  it("creates a project role from system and project policies: scope PROJECT, owned by the project, audited", async () => {
    const datasets = await projectPolicy(project.id, "Datasets", ["dataset:read"]);
    const res = await create({ name: " Curator ", policyIds: [Contributor, datasets.id, datasets.id.toUpperCase()], description: " Curates " });
    expect(res.status).toBe(200);
    const { role } = res.body.data;
    expect(role).toEqual({
      id: expect.any(String),
      name: "Curator",
      description: "Curates",
      projectId: project.id,
      policies: [{ id: datasets.id, name: "Datasets" }, { id: Contributor, name: "Project contributor" }],
    });
    const [row] = await customRoles();
    expect(row).toMatchObject({ id: role.id, scope: "PROJECT", organizationId: null, projectId: project.id });
    const [event] = await audits("project.roles.create");
    expect(event).toMatchObject({
      organizationId: org.id,
      projectId: project.id,
      actorType: "apiKey",
      targetType: "role",
      targetId: role.id,
      requestId: res.headers.get("x-request-id"),
      metadata: { name: "Curator", description: "Curates", policyIds: [Contributor, datasets.id].sort() },
    });
    // Without a description (the SDKs omit it): null.
    expect((await create({ name: "Plain", policyIds: [] })).body.data.role.description).toBeNull();
  });

  it("is a 409 for a name taken in this project or a system project role name, ignoring case", async () => {
    await create({ name: "Editor", policyIds: [] });
    const taken = await create({ name: "EDITOR", policyIds: [] });
    expect([taken.status, taken.body.error]).toEqual([409, 'A role named "Editor" already exists in this project']);
    for (const [name, system] of [[" manager ", "Manager"], ["OWNER", "Owner"], ["member", "Member"]]) {
      const res = await create({ name, policyIds: [] });
      expect([res.status, res.body.error]).toEqual([409, `"${system}" is the name of a system role; choose another name`]);
    }
    // The org's names (Admin included) and another project's names do not count.
    await getPrisma().role.create({ data: { organizationId: org.id, name: "Ops" } });
    expect((await create({ name: "Admin", policyIds: [] })).status).toBe(200);
    expect((await create({ name: "Ops", policyIds: [] })).status).toBe(200);
    expect((await create({ name: "Editor", policyIds: [] }, org.key, (await createProject(org.id)).id)).status).toBe(200);
    expect(names(await customRoles())).toEqual(["Admin", "Editor", "Ops"]);
  });

  it("is a 422 naming org policies, another project's and unknown ones; nothing is written", async () => {
    const theirs = await projectPolicy((await createProject(org.id)).id, "Theirs", []);
    const orgPolicy = await getPrisma().policy.create({ data: { organizationId: org.id, name: "Org policy" } });
    const before = await snapshotAll();
    const ids = [SYSTEM_POLICIES.FullAccess, orgPolicy.id, theirs.id, UNKNOWN];
    const res = await create({ name: "Editor", policyIds: [Contributor, ...ids] });
    expect([res.status, res.body.code]).toEqual([422, "unprocessable"]);
    expect(res.body.error).toBe(`policyIds: no such policies in this project: ${ids.join(", ")}`);
    expect(await snapshotAll()).toEqual(before);
  });

  it("lets exactly one of several concurrent creates of one name through", async () => {
    const answers = await Promise.all(["Editor", "editor", "EDITOR", "Editor", "eDiToR"].map((name) => create({ name, policyIds: [] })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(await customRoles()).toHaveLength(1);
  });
});

describe("PUT /v1/projects/{projectId}/roles/{roleId}", () => {
  it("replaces name and policies; a missing description is kept, null clears it; audited", async () => {
    const { role } = (await create({ name: "Editor", policyIds: [Contributor], description: "keeps" })).body.data;
    const res = await update(role.id, { name: "editor", policyIds: [FullAccess] });
    expect(res.body.data.role).toEqual({
      id: role.id,
      name: "editor",
      description: "keeps",
      projectId: project.id,
      policies: [{ id: FullAccess, name: "Project full access" }],
    });
    const [event] = await audits("project.roles.update");
    expect(event).toMatchObject({ projectId: project.id, targetId: role.id });
    expect(event!.metadata).toEqual({
      from: { name: "Editor", description: "keeps", policyIds: [Contributor] },
      to: { name: "editor", description: "keeps", policyIds: [FullAccess] },
    });
    expect((await update(role.id, { name: "editor", policyIds: [], description: null })).body.data.role.description).toBeNull();
    const [row] = await customRoles();
    expect([row!.description, row!.policies]).toEqual([null, []]);
  });

  it("refuses a taken name (409), unknown policies (422), system roles (403) and others' roles (404), changing nothing", async () => {
    const editor = await projectRole(project.id, "Editor", [Contributor]);
    await projectRole(project.id, "Viewer", []);
    const theirs = await projectRole((await createProject(org.id)).id, "Theirs", []);
    const orgRole = await getPrisma().role.create({ data: { organizationId: org.id, name: "Org custom" } });
    const before = await snapshotAll();
    expect((await update(editor.id, { name: "VIEWER", policyIds: [] })).status).toBe(409);
    expect((await update(editor.id, { name: "Manager", policyIds: [] })).status).toBe(409);
    expect((await update(editor.id, { name: "Editor", policyIds: [SYSTEM_POLICIES.ReadOnly] })).status).toBe(422);
    for (const id of Object.values(PROJECT_ROLES)) {
      const res = await update(id, { name: "Renamed", policyIds: [] });
      expect([res.status, res.body.error]).toEqual([403, expect.stringMatching(/is a system role; it cannot be changed or deleted$/)]);
      expect((await remove(id)).status).toBe(403);
    }
    for (const id of [theirs.id, orgRole.id, SYSTEM_ROLES.Owner, SYSTEM_ROLES.Admin, UNKNOWN]) {
      const res = await update(id, { name: "Mine", policyIds: [] });
      expect([res.status, res.body.error]).toEqual([404, `Role ${id} not found`]);
      expect((await remove(id)).status).toBe(404);
    }
    expect(await snapshotAll()).toEqual(before);
  });
});

describe("DELETE /v1/projects/{projectId}/roles/{roleId}", () => {
  it("is a 409 while a project member holds it or an open (pending or declined) invitation offers it", async () => {
    const role = await projectRole(project.id, "Editor", []);
    const member = await addProjectMember(project, "m@acme.test", role.id);
    await projectInvitation(project, "p@acme.test", role.id, "PENDING");
    const declined = await projectInvitation(project, "d@acme.test", role.id, "DECLINED");
    await projectInvitation(project, "a@acme.test", role.id, "ACCEPTED");

    const all = await remove(role.id);
    expect([all.status, all.body.error]).toEqual([
      409,
      'Role "Editor" is still assigned to 1 member and 2 open invitations; give the members another role and revoke the invitations first',
    ]);
    await getPrisma().projectMembership.update({ where: { projectId_userId: { projectId: project.id, userId: member.id } }, data: { roleId: PROJECT_ROLES.Member } });
    await getPrisma().invitation.updateMany({ where: { status: "PENDING" }, data: { status: "REVOKED" } });
    expect((await remove(role.id)).body.error).toMatch(/still assigned to 1 open invitation;/);
    await getPrisma().invitation.update({ where: { id: declined.id }, data: { status: "REVOKED" } });

    const res = await remove(role.id);
    expect(res.body).toEqual({ success: true, data: { id: role.id, deleted: true }, deprecated: false });
    expect(await customRoles()).toEqual([]);
    // Past invitations only remembered the role; they now point at the project Member role.
    const past = await getPrisma().invitation.findMany({ where: { projectId: project.id } });
    expect(past.map((i) => i.roleId)).toEqual(Array(3).fill(PROJECT_ROLES.Member));
    const [event] = await audits("project.roles.delete");
    expect(event).toMatchObject({ projectId: project.id, targetId: role.id, metadata: { pastInvitationsMovedToMember: 3 } });
    expect((await remove(role.id)).status).toBe(404);
  });
});

describe("another organization", () => {
  it("gets 404 for this project on every route (and this org for theirs), changing nothing", async () => {
    const role = await projectRole(project.id, "Editor", []);
    const outsider = await createOrg();
    const theirs = await createProject(outsider.id);
    const before = await snapshotAll();
    for (const [key, projectId] of [[outsider.key, project.id], [org.key, theirs.id]] as const) {
      expect((await list(key, projectId)).status).toBe(404);
      expect((await create({ name: "Mine", policyIds: [] }, key, projectId)).status).toBe(404);
      expect((await update(role.id, { name: "Mine", policyIds: [] }, key, projectId)).status).toBe(404);
      expect((await remove(role.id, key, projectId)).status).toBe(404);
    }
    expect(await snapshotAll()).toEqual(before);
  });
});
