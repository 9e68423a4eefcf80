// /v1/projects/{projectId}/policies and …/permissions (contract §6): custom policies of a project
// over the project catalogue only, with requests shaped as the SDKs send them.
import { beforeEach, describe, expect, it } from "vitest";
import * as permissionsRoute from "@/app/v1/projects/[projectId]/permissions/route";
import * as policiesRoute from "@/app/v1/projects/[projectId]/policies/route";
import * as policyItem from "@/app/v1/projects/[projectId]/policies/[policyId]/route";
import { getPrisma } from "@/lib/db";
import { PROJECT_POLICIES, PROJECT_ROLES, SYSTEM_POLICIES } from "@/lib/db/system-roles";
import { PROJECT_PERMISSIONS } from "@/lib/services/permissions";
import { projectPrincipalOrThrow } from "@/lib/services/projects/access";
import { createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";
import { addProjectMember, createProject, permissionIds, projectPolicy, projectRole, sdk, snapshotAll } from "./project-iam-fixtures";

const UNKNOWN = "5f0c6d3e-8d4b-4c1a-9a51-2f1f7d9e0b11";
let org: TestOrg;
let project: { id: string; organizationId: string };
let ids: Map<string, string>;
let orgIds: Map<string, string>;

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
  project = await createProject(org.id, "Evals");
  ids = await permissionIds("PROJECT");
  orgIds = await permissionIds("ORGANIZATION");
});

const list = (key = org.key, projectId = project.id) => sdk(policiesRoute, "GET", { key, params: { projectId } });
const create = (body: unknown, key = org.key, projectId = project.id) => sdk(policiesRoute, "POST", { key, params: { projectId }, body });
const update = (policyId: string, body: unknown, key = org.key, projectId = project.id) =>
  sdk(policyItem, "PUT", { key, params: { projectId, policyId }, body });
const remove = (policyId: string, key = org.key, projectId = project.id) =>
  sdk(policyItem, "DELETE", { key, params: { projectId, policyId } });
const perms = (...names: string[]) => names.map((n) => ids.get(n)!);
const names = (items: { name: string }[]) => items.map((i) => i.name);
const audits = (action: string) => getPrisma().auditEvent.findMany({ where: { action }, orderBy: { createdAt: "asc" } });

describe("GET /v1/projects/{projectId}/permissions", () => {
  it("is the project catalogue by name, with descriptions; not the organization's", async () => {
    const res = await sdk(permissionsRoute, "GET", { key: org.key, params: { projectId: project.id } });
    expect(res.status).toBe(200);
    const { permissions } = res.body.data;
    expect(names(permissions)).toEqual([...PROJECT_PERMISSIONS].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
    expect(permissions).toHaveLength(59);
    expect(permissions.find((p: any) => p.name === "trace:evaluate")).toEqual({ id: ids.get("trace:evaluate"), name: "trace:evaluate", description: "Run evaluations on traces" });
    expect(permissions.map((p: any) => p.id)).not.toContain(orgIds.get("user:read"));
  });
});

describe("GET /v1/projects/{projectId}/policies", () => {
  it("lists the system project policies, then this project's own by name", async () => {
    await projectPolicy(project.id, "traces", ["trace:read"]);
    await projectPolicy(project.id, "Datasets", ["dataset:read", "dataset:manage"]);
    await projectPolicy((await createProject(org.id)).id, "Sibling's", []);
    await getPrisma().policy.create({ data: { organizationId: org.id, name: "Org policy" } });
    const { policies } = (await list()).body.data;
    expect(policies.map((p: any) => [p.id, p.name])).toEqual([
      [PROJECT_POLICIES.FullAccess, "Project full access"],
      [PROJECT_POLICIES.Contributor, "Project contributor"],
      [expect.any(String), "Datasets"],
      [expect.any(String), "traces"],
    ]);
    expect(policies[0].permissions).toHaveLength(59);
    expect(names(policies[1].permissions)).not.toContain("iam:manage");
    expect(names(policies[2].permissions)).toEqual(["dataset:manage", "dataset:read"]);
  });
});

describe("POST /v1/projects/{projectId}/policies", () => {
  it("creates a policy of project permissions, owned by the project, audited", async () => {
    const res = await create({ name: " Traces ", permissionIds: perms("trace:read", "trace:evaluate") });
    expect(res.status).toBe(200);
    const { policy } = res.body.data;
    expect(policy).toEqual({
      id: expect.any(String),
      name: "Traces",
      description: null,
      permissions: [
        { id: ids.get("trace:evaluate"), name: "trace:evaluate" },
        { id: ids.get("trace:read"), name: "trace:read" },
      ],
    });
    expect(await getPrisma().policy.findUnique({ where: { id: policy.id } })).toMatchObject({ scope: "PROJECT", projectId: project.id, organizationId: null });
    const [event] = await audits("project.policies.create");
    expect(event).toMatchObject({ projectId: project.id, targetType: "policy", targetId: policy.id, requestId: res.headers.get("x-request-id") });
  });

  it("is a 422 for organization permissions and unknown ids, a 409 for taken and system names; nothing is written", async () => {
    await projectPolicy(project.id, "Datasets", []);
    const before = await snapshotAll();
    const foreign = [orgIds.get("user:read")!, orgIds.get("project:create")!, UNKNOWN];
    const res = await create({ name: "Mixed", permissionIds: [...perms("trace:read"), ...foreign] });
    expect([res.status, res.body.error]).toEqual([422, `permissionIds: no such project permissions: ${foreign.join(", ")}`]);
    expect((await create({ name: "Policy", permissionIds: [PROJECT_POLICIES.FullAccess] })).status).toBe(422);
    const taken = await create({ name: "DATASETS", permissionIds: [] });
    expect([taken.status, taken.body.error]).toEqual([409, 'A policy named "Datasets" already exists in this project']);
    const system = await create({ name: "project FULL access", permissionIds: [] });
    expect([system.status, system.body.error]).toEqual([409, '"Project full access" is the name of a system policy; choose another name']);
    expect(await snapshotAll()).toEqual(before);
    // The organization's system policy names are free at project scope.
    expect((await create({ name: "Full access", permissionIds: [] })).status).toBe(200);
  });
});

/** What a project member (an org Member, no project:manage) holds in the project. */
async function heldInProject(p: { id: string; organizationId: string }, userId: string) {
  const actor = { type: "user" as const, userId, organizationId: p.organizationId };
  return (await projectPrincipalOrThrow(getPrisma(), actor, p.id)).principal.authority.permissions;
}

describe("PUT /v1/projects/{projectId}/policies/{policyId}", () => {
  it("replaces name and permissions (changing what the role's holders hold); a missing description is kept", async () => {
    const policy = await projectPolicy(project.id, "Ops", ["trace:read"]);
    await getPrisma().policy.update({ where: { id: policy.id }, data: { description: "ops things" } });
    const role = await projectRole(project.id, "Ops", [policy.id]);
    const user = await addProjectMember(project, "ops@acme.test", role.id);
    expect([...(await heldInProject(project, user.id))]).toEqual(["trace:read"]);

    const res = await update(policy.id, { name: "OPS", permissionIds: perms("trace:manage", "span:read") });
    expect(res.body.data.policy).toEqual({
      id: policy.id,
      name: "OPS",
      description: "ops things",
      permissions: [
        { id: ids.get("span:read"), name: "span:read" },
        { id: ids.get("trace:manage"), name: "trace:manage" },
      ],
    });
    expect([...(await heldInProject(project, user.id))].sort()).toEqual(["span:read", "trace:manage"]);
    const [event] = await audits("project.policies.update");
    expect(event).toMatchObject({ projectId: project.id, targetId: policy.id });
    expect(event!.metadata).toMatchObject({ from: { name: "Ops", description: "ops things" }, to: { name: "OPS", description: "ops things" } });
    expect((await update(policy.id, { name: "OPS", permissionIds: [], description: "" })).body.data.policy.description).toBeNull();
  });

  it("refuses system policies (403), others' policies (404), org permissions (422), changing nothing", async () => {
    const policy = await projectPolicy(project.id, "Ops", ["trace:read"]);
    const theirs = await projectPolicy((await createProject(org.id)).id, "Theirs", []);
    const orgPolicy = await getPrisma().policy.create({ data: { organizationId: org.id, name: "Org policy" } });
    const before = await snapshotAll();
    for (const id of Object.values(PROJECT_POLICIES)) {
      expect((await update(id, { name: "Mine", permissionIds: [] })).status).toBe(403);
      expect((await remove(id)).status).toBe(403);
    }
    for (const id of [theirs.id, orgPolicy.id, SYSTEM_POLICIES.FullAccess, UNKNOWN]) {
      const res = await update(id, { name: "Mine", permissionIds: [] });
      expect([res.status, res.body.error]).toEqual([404, `Policy ${id} not found`]);
      expect((await remove(id)).status).toBe(404);
    }
    expect((await update(policy.id, { name: "Ops", permissionIds: [orgIds.get("sso:read")] })).status).toBe(422);
    expect(await snapshotAll()).toEqual(before);
  });
});

describe("DELETE /v1/projects/{projectId}/policies/{policyId}", () => {
  it("is a 409 while a role uses it; an unused one is deleted and audited", async () => {
    const policy = await projectPolicy(project.id, "Ops", ["trace:read"]);
    const role = await projectRole(project.id, "Operator", [policy.id]);
    const blocked = await remove(policy.id);
    expect([blocked.status, blocked.body.error]).toEqual([409, 'Policy "Ops" is still attached to role "Operator"; remove it from them first']);
    await getPrisma().role.delete({ where: { id: role.id } });
    const res = await remove(policy.id);
    expect(res.body).toEqual({ success: true, data: { id: policy.id, deleted: true }, deprecated: false });
    expect(await getPrisma().policy.count({ where: { id: policy.id } })).toBe(0);
    expect((await audits("project.policies.delete")).map((e) => [e.targetId, e.projectId])).toEqual([[policy.id, project.id]]);
    // The system roles still hold their policies.
    expect(await getPrisma().rolePolicy.count({ where: { roleId: PROJECT_ROLES.Owner } })).toBe(1);
  });
});

describe("another organization", () => {
  it("gets 404 for this project's policies and catalogue, changing nothing", async () => {
    const policy = await projectPolicy(project.id, "Ops", []);
    const outsider = await createOrg();
    const before = await snapshotAll();
    expect((await list(outsider.key)).status).toBe(404);
    expect((await sdk(permissionsRoute, "GET", { key: outsider.key, params: { projectId: project.id } })).status).toBe(404);
    expect((await create({ name: "Mine", permissionIds: [] }, outsider.key)).status).toBe(404);
    expect((await update(policy.id, { name: "Mine", permissionIds: [] }, outsider.key)).status).toBe(404);
    expect((await remove(policy.id, outsider.key)).status).toBe(404);
    expect(await snapshotAll()).toEqual(before);
  });
});
