// PUT and DELETE /v1/projects/{projectId} (contract §6): only the fields sent change, and a
// deletion takes everything that is only the project's in one transaction, audit events aside.
import { beforeEach, describe, expect, it } from "vitest";
import * as organizationRoute from "@/app/v1/organization/route";
import * as item from "@/app/v1/projects/[projectId]/route";
import * as collection from "@/app/v1/projects/route";
import { generateApiKey, hashApiKey, lastSix } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { PROJECT_ROLES } from "@/lib/db/system-roles";
import { settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { call } from "../helpers/api";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

const SDK = { "x-confident-sdk-version": "confidentai-ts/0.1.0" };
let org: TestOrg;
let project: { id: string; name: string; description: string | null; created_at: string };
let projectKey: string;

const p = () => getPrisma();
const at = (id: string) => ({ headers: SDK, path: `/v1/projects/${id}`, params: { projectId: id } });
const get = (id: string, key = org.key) => call(item, "GET", { key, ...at(id) });
const update = (id: string, body: unknown, key = org.key) => call(item, "PUT", { key, ...at(id), body });
const remove = (id: string, key = org.key) => call(item, "DELETE", { key, ...at(id) });

async function keyOf(userId: string) {
  const raw = generateApiKey();
  await p().apiKey.create({ data: { organizationId: org.id, name: "k", keyHash: hashApiKey(raw), last6: lastSix(raw), createdByUserId: userId } });
  return raw;
}

/** Everything but lastUsedAt (authentication writes it in the background). */
async function rows() {
  await settleBackgroundWrites();
  const tables = ["Project", "ProjectMembership", "ApiKey", "Role", "RolePolicy", "Policy", "PolicyPermission", "Invitation", "EmailOutbox", "AuditEvent", "GovernancePolicy"];
  const sql = tables.map((t) => `SELECT '${t}' AS t, (to_jsonb(x) - 'lastUsedAt')::text AS r FROM "${t}" x`).join(" UNION ALL ");
  return (await p().$queryRawUnsafe<{ t: string; r: string }[]>(sql)).map((x) => `${x.t} ${x.r}`).sort();
}

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
  const res = await call(collection, "POST", { key: org.key, headers: SDK, body: { name: "Checkout", description: "Payments" } });
  ({ project, apiKey: { value: projectKey } } = res.body.data);
});

describe("PUT /v1/projects/{projectId}", () => {
  it("{} changes nothing, records nothing, and answers the project", async () => {
    const before = await rows();
    const res = await update(project.id, {});
    expect(res.status).toBe(200);
    expect(res.body.data.project).toMatchObject({ id: project.id, name: "Checkout", description: "Payments", governancePolicy: null });
    expect(await rows()).toEqual(before);
  });

  it("changes only the fields sent: the TS SDK's update({name}) leaves the description", async () => {
    const res = await update(project.id, { name: "  Billing  ", description: undefined });
    expect(res.status).toBe(200);
    expect(res.body.data.project).toEqual({ ...project, name: "Billing", description: "Payments", governancePolicy: null });
    const event = await p().auditEvent.findFirstOrThrow({ where: { action: "project.update" } });
    expect(event).toMatchObject({ targetType: "project", targetId: project.id, projectId: project.id });
    expect(event.metadata).toEqual({ name: { from: "Checkout", to: "Billing" } });

    const described = await update(project.id, { description: "Invoices" });
    expect(described.body.data.project).toMatchObject({ name: "Billing", description: "Invoices" });
  });

  it("description null or blank clears it", async () => {
    expect((await update(project.id, { description: null })).body.data.project.description).toBeNull();
    await update(project.id, { description: "Back" });
    expect((await update(project.id, { description: "   " })).body.data.project.description).toBeNull();
    expect((await p().project.findUniqueOrThrow({ where: { id: project.id } })).description).toBeNull();
  });

  it("keeps names unique ignoring case (409), but a project may change its own name's case", async () => {
    await call(collection, "POST", { key: org.key, body: { name: "Search" } });
    const before = await rows();
    for (const name of ["search", "SEARCH "]) expect((await update(project.id, { name })).status, name).toBe(409);
    expect(await rows()).toEqual(before);
    expect((await update(project.id, { name: "CHECKOUT" })).body.data.project.name).toBe("CHECKOUT");
  });

  it("validates what is sent and writes nothing otherwise", async () => {
    const before = await rows();
    for (const body of [{ name: "" }, { name: null }, { name: 3 }, { name: "x".repeat(101) }, { description: 5 }, { description: "x".repeat(501) }]) {
      const res = await update(project.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatch(/name|description/);
    }
    expect(await rows()).toEqual(before);
  });

  it("needs the project permission project:manage; a non-member gets 404", async () => {
    const viewer = await addMember(org.id, "viewer@example.com");
    const outsider = await addMember(org.id, "outsider@example.com");
    const viewing = await p().role.create({ data: { scope: "PROJECT", projectId: project.id, name: "Viewer" } });
    await p().projectMembership.create({ data: { projectId: project.id, organizationId: org.id, userId: viewer.id, roleId: viewing.id } });
    const [viewerKey, outsiderKey] = [await keyOf(viewer.id), await keyOf(outsider.id)];
    const before = await rows();
    const refused = await update(project.id, { name: "Mine" }, viewerKey);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain("project:manage");
    expect((await update(project.id, {}, outsiderKey)).status).toBe(404);
    expect(await rows()).toEqual(before);
    // The project Member role holds project:manage.
    await p().projectMembership.update({ where: { projectId_userId: { projectId: project.id, userId: viewer.id } }, data: { roleId: PROJECT_ROLES.Member } });
    expect((await update(project.id, { name: "Mine" }, viewerKey)).status).toBe(200);
  });
});

describe("DELETE /v1/projects/{projectId}", () => {
  async function populate() {
    const owner = await addMember(org.id, "owner@example.com");
    await p().projectMembership.create({ data: { projectId: project.id, organizationId: org.id, userId: owner.id, roleId: PROJECT_ROLES.Owner } });
    const policy = await p().policy.create({ data: { scope: "PROJECT", projectId: project.id, name: "Custom" } });
    const role = await p().role.create({ data: { scope: "PROJECT", projectId: project.id, name: "Analyst", policies: { create: [{ policyId: policy.id }] } } });
    const analyst = await addMember(org.id, "analyst@example.com");
    await p().projectMembership.create({ data: { projectId: project.id, organizationId: org.id, userId: analyst.id, roleId: role.id } });
    const invitation = await p().invitation.create({
      data: { organizationId: org.id, projectId: project.id, email: "new@example.com", roleId: role.id, tokenHash: "e".repeat(64), expiresAt: new Date(Date.now() + 86_400_000) },
    });
    await p().emailOutbox.create({
      data: { organizationId: org.id, invitationId: invitation.id, kind: "invitation", recipient: "new@example.com", payload: {}, idempotencyKey: `inv-${invitation.id}` },
    });
    const governance = await p().governancePolicy.create({ data: { organizationId: org.id, name: "Gate" } });
    await p().project.update({ where: { id: project.id }, data: { governancePolicyId: governance.id } });
    return { governance, owner, analyst };
  }

  it("removes keys, memberships, open invitations and their emails, custom roles and policies, enrollment; audit stays", async () => {
    const { governance, owner } = await populate();
    const sibling = (await call(collection, "POST", { key: org.key, body: { name: "Sibling" } })).body.data.project;
    const keep = { members: await p().membership.count(), orgKeys: await p().apiKey.count({ where: { projectId: null } }) };
    const res = await remove(project.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, data: { id: project.id, deleted: true }, deprecated: false });

    const where = { projectId: project.id };
    expect(await p().project.findUnique({ where: { id: project.id } })).toBeNull();
    expect(await Promise.all([p().apiKey.count({ where }), p().projectMembership.count({ where }), p().invitation.count({ where }), p().role.count({ where }), p().policy.count({ where })])).toEqual([0, 0, 0, 0, 0]);
    expect(await p().emailOutbox.count()).toBe(0);
    expect(await p().project.count({ where: { governancePolicyId: governance.id } })).toBe(0);
    expect(await p().governancePolicy.findUnique({ where: { id: governance.id } })).not.toBeNull();
    // Org memberships, org keys and the other project are untouched.
    expect({ members: await p().membership.count(), orgKeys: await p().apiKey.count({ where: { projectId: null } }) }).toEqual(keep);
    expect(await p().project.findUnique({ where: { id: sibling.id } })).not.toBeNull();
    expect(await p().membership.findFirst({ where: { userId: owner.id } })).not.toBeNull();

    const events = await p().auditEvent.findMany({ where, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["project.create", "project.apiKeys.create", "project.delete"]));
    expect(events.find((e) => e.action === "project.delete")!.metadata).toEqual({ name: "Checkout", governancePolicyId: governance.id });
    // Its key no longer authenticates; the project is gone for every route.
    expect((await call(organizationRoute, "GET", { key: projectKey })).status).toBe(401);
    expect((await get(project.id)).status).toBe(404);
    expect((await remove(project.id)).status).toBe(404);
  });

  it("needs the project permission project:delete: a project Member gets 403, a Manager may", async () => {
    await populate();
    const user = await addMember(org.id, "member@example.com");
    await p().projectMembership.create({ data: { projectId: project.id, organizationId: org.id, userId: user.id, roleId: PROJECT_ROLES.Member } });
    const key = await keyOf(user.id);
    const before = await rows();
    const res = await remove(project.id, key);
    expect(res.status).toBe(403);
    expect(res.body.error).toContain("project:delete");
    expect(await rows()).toEqual(before);
    await p().projectMembership.update({ where: { projectId_userId: { projectId: project.id, userId: user.id } }, data: { roleId: PROJECT_ROLES.Manager } });
    expect((await remove(project.id, key)).status).toBe(200);
  });

  it("another organization's project, or an org key of another org: 404 and nothing changes", async () => {
    await populate();
    const other = await createOrg({ name: "Globex" });
    const before = await rows();
    for (const res of [await remove(project.id, other.key), await update(project.id, { name: "Taken" }, other.key), await get(project.id, other.key)]) {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ success: false, code: "not_found" });
    }
    expect(await rows()).toEqual(before);
  });
});
