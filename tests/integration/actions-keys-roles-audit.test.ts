// The settings server actions for API keys, roles and policies, and the audit log read service,
// run in-process against the test database. Only the session edge (who is signed in, which org
// is active) and Next's cache are mocked; everything else is the real code path.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApiKeyAction, deleteApiKeyAction, setApiKeyValidAction } from "@/lib/actions/api-keys";
import { createPolicyAction, createRoleAction, deletePolicyAction, deleteRoleAction, updatePolicyAction, updateRoleAction } from "@/lib/actions/roles";
import type { ActionResult } from "@/lib/actions/run";
import { hashApiKey } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { SYSTEM_POLICIES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { authenticateApiKey, settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { listApiKeys } from "@/lib/services/api-keys";
import { listAuditEvents, listAuditFilterOptions } from "@/lib/services/audit-log";
import type { ServiceContext } from "@/lib/services/context";
import { createRole } from "@/lib/services/roles";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

const session = vi.hoisted(() => ({ workspace: null as unknown }));
vi.mock("@/lib/auth/session", () => ({ getWorkspace: async () => session.workspace }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const refused = (permission: string) => `Your role does not allow this action (it needs the ${permission} permission)`;
const LIMITS = { perKey: 100, perOrganization: 100 };
let org: TestOrg;
let memberId: string;

function signInAs(userId: string, organizationId = org.id) {
  session.workspace = {
    user: { id: userId, email: "someone@example.test", name: null, emailVerified: new Date(), hasPassword: true, sessionId: "" },
    active: { id: organizationId, name: "Acme", plan: "TEAM", roleId: SYSTEM_ROLES.Owner, roleName: "Owner" },
    organizations: [],
  };
}

/** A FormData as a browser would send it: arrays become repeated fields. */
function form(fields: Record<string, string | string[]>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(name, v);
  return data;
}

function ok<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got: ${result.error}`);
  return result.data;
}

const userCtx = (userId: string, organizationId = org.id): ServiceContext => ({
  actor: { type: "user", userId, organizationId },
  requestId: "req-test",
});

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
  memberId = (await addMember(org.id, "member@example.test")).id;
  signInAs(org.ownerId);
});
afterEach(async () => {
  await settleBackgroundWrites();
  session.workspace = null;
});

describe("API key actions", () => {
  it("create returns the full key once; the database holds only its hash and last 6 characters", async () => {
    const key = ok(await createApiKeyAction(null, form({ name: "  CI pipeline " })));
    expect(key.value).toMatch(/^confident_org_[0-9a-f]{32,}$/);
    expect(key).toMatchObject({ name: "CI pipeline", valid: true, lastUsed: null });

    const row = await getPrisma().apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.keyHash).toBe(hashApiKey(key.value));
    expect(row.last6).toBe(key.value.slice(-6));
    expect(JSON.stringify(row)).not.toContain(key.value);
    // Listed afterwards only redacted.
    const listed = (await listApiKeys(userCtx(org.ownerId))).find((k) => k.id === key.id);
    expect(listed?.value).toBe(`***************${key.value.slice(-6)}`);
    const [event] = await getPrisma().auditEvent.findMany({ where: { action: "org.apiKeys.create", targetId: String(key.id) } });
    expect(event).toMatchObject({ actorType: "user", actorId: org.ownerId });
    expect(JSON.stringify(event)).not.toContain(key.value);
  });

  it("refuses a Member and an empty name, creating nothing", async () => {
    const before = await getPrisma().apiKey.count();
    expect(await createApiKeyAction(null, form({ name: "   " }))).toEqual({
      ok: false,
      error: "Enter a name.",
      fieldErrors: { name: ["Enter a name."] },
    });
    signInAs(memberId);
    expect(await createApiKeyAction(null, form({ name: "Sneaky" }))).toEqual({ ok: false, error: refused("apiKey:manage") });
    expect(await getPrisma().apiKey.count()).toBe(before);
  });

  it("deactivating makes the key fail authentication at once; reactivating restores it", async () => {
    const key = ok(await createApiKeyAction(null, form({ name: "Worker" })));
    expect(await authenticateApiKey(key.value, LIMITS)).toMatchObject({ actor: { apiKeyId: key.id, organizationId: org.id } });

    const off = ok(await setApiKeyValidAction(null, form({ apiKeyId: String(key.id), valid: "false" })));
    expect(off).toMatchObject({ id: key.id, valid: false, value: `***************${key.value.slice(-6)}` });
    expect(await authenticateApiKey(key.value, LIMITS)).toBeNull();

    ok(await setApiKeyValidAction(null, form({ apiKeyId: String(key.id), valid: "true" })));
    expect(await authenticateApiKey(key.value, LIMITS)).not.toBeNull();
  });

  it("refuses a Member's deactivation and a non-boolean valid; the key keeps working", async () => {
    const id = String(org.apiKeyId);
    const bad = await setApiKeyValidAction(null, form({ apiKeyId: id, valid: "yes" }));
    expect(bad).toMatchObject({ ok: false, fieldErrors: { valid: ["valid must be true or false"] } });
    signInAs(memberId);
    expect(await setApiKeyValidAction(null, form({ apiKeyId: id, valid: "false" }))).toEqual({ ok: false, error: refused("apiKey:manage") });
    expect(await deleteApiKeyAction(null, form({ apiKeyId: id }))).toEqual({ ok: false, error: refused("apiKey:manage") });
    expect(await authenticateApiKey(org.key, LIMITS)).not.toBeNull();
  });

  it("delete removes the key for good; another organization's key is not found and untouched", async () => {
    const key = ok(await createApiKeyAction(null, form({ name: "Temp" })));
    expect(ok(await deleteApiKeyAction(null, form({ apiKeyId: String(key.id) })))).toEqual({ id: key.id, deleted: true });
    expect(await getPrisma().apiKey.findUnique({ where: { id: key.id } })).toBeNull();
    expect(await authenticateApiKey(key.value, LIMITS)).toBeNull();

    const other = await createOrg({ name: "Other" });
    const res = await deleteApiKeyAction(null, form({ apiKeyId: String(other.apiKeyId) }));
    expect(res).toEqual({ ok: false, error: `API key ${other.apiKeyId} not found` });
    expect(await authenticateApiKey(other.key, LIMITS)).not.toBeNull();
    expect(await deleteApiKeyAction(null, form({ apiKeyId: "abc" }))).toMatchObject({ ok: false, fieldErrors: { apiKeyId: ["must be a positive integer"] } });
  });
});

describe("role actions", () => {
  const customRoles = () => getPrisma().role.findMany({ where: { organizationId: org.id }, include: { policies: true } });

  it("create, edit (full replacement) and delete a custom role", async () => {
    const role = ok(
      await createRoleAction(null, form({ name: "Support", description: "Helps customers", policyIds: [SYSTEM_POLICIES.ReadOnly] })),
    );
    expect(role).toMatchObject({ name: "Support", description: "Helps customers", organizationId: org.id, policies: [{ id: SYSTEM_POLICIES.ReadOnly, name: "Read only" }] });

    // No boxes ticked (confirmed) and an empty description: the role keeps no policies and no description.
    const edited = ok(await updateRoleAction(null, form({ roleId: role.id, name: "Support team", description: "", confirmNoPolicies: "yes" })));
    expect(edited).toMatchObject({ id: role.id, name: "Support team", description: null, policies: [] });
    expect((await customRoles()).map((r) => [r.name, r.policies.length])).toEqual([["Support team", 0]]);

    expect(ok(await deleteRoleAction(null, form({ roleId: role.id })))).toEqual({ id: role.id, deleted: true });
    expect(await customRoles()).toEqual([]);
    const actions = await getPrisma().auditEvent.findMany({ where: { targetId: role.id }, orderBy: { createdAt: "asc" } });
    expect(actions.map((a) => a.action)).toEqual(["org.roles.create", "org.roles.update", "org.roles.delete"]);
  });

  it("shows the service's 409 when the role is still assigned, and keeps the role", async () => {
    const role = ok(await createRoleAction(null, form({ name: "Support", policyIds: [SYSTEM_POLICIES.ReadOnly] })));
    await addMember(org.id, "agent@example.test", role.id);
    expect(await deleteRoleAction(null, form({ roleId: role.id }))).toEqual({
      ok: false,
      error: 'Role "Support" is still assigned to 1 member; give the members another role first',
    });
    expect(await customRoles()).toHaveLength(1);
  });

  it("refuses system names, system roles, invalid fields and Members", async () => {
    const readOnly = { policyIds: [SYSTEM_POLICIES.ReadOnly] };
    expect(await createRoleAction(null, form({ name: "admin", ...readOnly }))).toEqual({ ok: false, error: '"Admin" is the name of a system role; choose another name' });
    expect(await updateRoleAction(null, form({ roleId: SYSTEM_ROLES.Member, name: "Member", ...readOnly }))).toEqual({
      ok: false,
      error: "Member is a system role; it cannot be changed or deleted",
    });
    const invalid = await createRoleAction(null, form({ name: "", policyIds: ["not-a-uuid"] }));
    expect(invalid).toMatchObject({ ok: false, fieldErrors: { name: ["Enter a name."], policyIds: ["Choose policies from the list."] } });
    signInAs(memberId);
    expect(await createRoleAction(null, form({ name: "Support", ...readOnly }))).toEqual({ ok: false, error: refused("iam:manage") });
    expect(await customRoles()).toEqual([]);
  });
});

describe("policy actions", () => {
  it("creates a policy with permissions, edits and deletes it; a policy in use is a 409", async () => {
    const perms = await getPrisma().permission.findMany({ where: { name: { in: ["apiKey:read", "apiKey:manage"] }, scope: "ORGANIZATION" } });
    const policy = ok(await createPolicyAction(null, form({ name: "Key admin", permissionIds: perms.map((p) => p.id) })));
    expect(policy.permissions.map((p) => p.name)).toEqual(["apiKey:manage", "apiKey:read"]);
    const rows = await getPrisma().policyPermission.findMany({ where: { policyId: policy.id } });
    expect(rows.map((r) => r.permissionId).sort()).toEqual(perms.map((p) => p.id).sort());

    const readOnly = perms.find((p) => p.name === "apiKey:read")!;
    const edited = ok(await updatePolicyAction(null, form({ policyId: policy.id, name: "Key reader", permissionIds: [readOnly.id] })));
    expect(edited).toMatchObject({ name: "Key reader", permissions: [{ id: readOnly.id, name: "apiKey:read" }] });

    const role = ok(await createRoleAction(null, form({ name: "Auditor", policyIds: [policy.id] })));
    expect(await deletePolicyAction(null, form({ policyId: policy.id }))).toEqual({
      ok: false,
      error: 'Policy "Key reader" is still attached to role "Auditor"; remove it from them first',
    });
    ok(await deleteRoleAction(null, form({ roleId: role.id })));
    expect(ok(await deletePolicyAction(null, form({ policyId: policy.id })))).toEqual({ id: policy.id, deleted: true });
    expect(await getPrisma().policy.findUnique({ where: { id: policy.id } })).toBeNull();
  });

  it("refuses a Member and an unknown permission", async () => {
    const unknown = "5f0c6d3e-8d4b-4c1a-9a51-2f1f7d9e0b11";
    expect(await createPolicyAction(null, form({ name: "Odd", permissionIds: [unknown] }))).toEqual({
      ok: false,
      error: `permissionIds: no such permission: ${unknown}`,
    });
    signInAs(memberId);
    expect(await createPolicyAction(null, form({ name: "Mine" }))).toEqual({ ok: false, error: refused("iam:manage") });
    expect(await getPrisma().policy.count({ where: { organizationId: org.id } })).toBe(0);
  });
});

describe("listAuditEvents", () => {
  /** `count` events for `orgId`, one second apart, the last one newest. */
  async function seedEvents(orgId: string, count: number, fields: { actorType: string; actorId: string; action: string }) {
    const start = Date.UTC(2026, 0, 1);
    await getPrisma().auditEvent.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        organizationId: orgId,
        ...fields,
        targetType: "organization",
        targetId: orgId,
        requestId: `req-${orgId.slice(0, 4)}-${i}`,
        metadata: { n: i },
        createdAt: new Date(start + i * 1000),
      })),
    });
  }

  it("pages newest first with a total, never repeating an event", async () => {
    await seedEvents(org.id, 60, { actorType: "user", actorId: org.ownerId, action: "org.update" });
    const ctx = userCtx(org.ownerId);
    const first = await listAuditEvents(ctx, { page: 1 });
    const second = await listAuditEvents(ctx, { page: 2 });
    expect([first.total, first.pageSize, first.pageCount, first.events.length, second.events.length]).toEqual([60, 50, 2, 50, 10]);
    const all = [...first.events, ...second.events];
    expect(all.map((e) => (e.metadata as { n: number }).n)).toEqual(Array.from({ length: 60 }, (_, i) => 59 - i));
    expect(first.events[0]).toMatchObject({
      createdAt: "2026-01-01T00:00:59.000Z",
      actor: { type: "user", id: org.ownerId, label: expect.stringMatching(/^owner-.*@example\.test$/) },
      target: { type: "organization", label: "Organization" },
      requestId: `req-${org.id.slice(0, 4)}-59`,
    });
    expect((await listAuditEvents(ctx, { page: 3 })).events).toEqual([]);
    await expect(listAuditEvents(ctx, { page: 0 })).rejects.toThrow("page must be at least 1");
  });

  it("filters by action and by actor, naming users by email and keys by name (or as deleted)", async () => {
    const key = ok(await createApiKeyAction(null, form({ name: "Deployer" })));
    const keyCtx: ServiceContext = { actor: { type: "apiKey", apiKeyId: key.id, organizationId: org.id, creatorUserId: org.ownerId }, requestId: "req-key" };
    await createRole(keyCtx, { name: "Ops", policyIds: [], description: null });
    ok(await createApiKeyAction(null, form({ name: "Gone" })));
    const gone = (await getPrisma().apiKey.findFirstOrThrow({ where: { name: "Gone" } })).id;
    await createRole({ actor: { type: "apiKey", apiKeyId: gone, organizationId: org.id, creatorUserId: org.ownerId }, requestId: "r" }, { name: "Ops 2", policyIds: [], description: null });
    ok(await deleteApiKeyAction(null, form({ apiKeyId: String(gone) })));

    const ctx = userCtx(memberId); // Members hold iam:read
    const byAction = await listAuditEvents(ctx, { action: "org.roles.create" });
    expect(byAction.total).toBe(2);
    expect(byAction.events.map((e) => [e.actor.label, e.target?.label])).toEqual([
      // A deleted key keeps the name its delete event recorded.
      [`API key #${gone} (Gone, deleted)`, 'Role "Ops 2"'],
      [`API key #${key.id} (Deployer)`, 'Role "Ops"'],
    ]);
    const byKey = await listAuditEvents(ctx, { actor: `apiKey:${key.id}` });
    expect(byKey.events.map((e) => e.action)).toEqual(["org.roles.create"]);
    const byOwner = await listAuditEvents(ctx, { actor: `user:${org.ownerId}`, action: "org.apiKeys.delete" });
    expect(byOwner.events.map((e) => [e.action, e.target?.label])).toEqual([["org.apiKeys.delete", `API key #${gone} (Gone, deleted)`]]);

    const options = await listAuditFilterOptions(ctx);
    expect(options.actions).toEqual(["org.apiKeys.create", "org.apiKeys.delete", "org.roles.create"]);
    expect(options.actors.map((a) => a.value)).toEqual([`user:${org.ownerId}`, `apiKey:${key.id}`, `apiKey:${gone}`]);
  });

  it("never shows another organization's events, even when filtering by its actor", async () => {
    const other = await createOrg({ name: "Other" });
    await seedEvents(other.id, 5, { actorType: "user", actorId: other.ownerId, action: "org.invitations.create" });
    await seedEvents(org.id, 2, { actorType: "user", actorId: org.ownerId, action: "org.update" });
    const ctx = userCtx(org.ownerId);
    const page = await listAuditEvents(ctx);
    expect(page.total).toBe(2);
    expect(page.events.every((e) => e.action === "org.update")).toBe(true);
    expect((await listAuditEvents(ctx, { actor: `user:${other.ownerId}` })).total).toBe(0);
    expect((await listAuditEvents(ctx, { action: "org.invitations.create" })).total).toBe(0);
    const options = await listAuditFilterOptions(ctx);
    expect(options).toEqual({ actions: ["org.update"], actors: [{ value: `user:${org.ownerId}`, label: expect.any(String) }] });
    // Someone who is not a member of the org holds no permission there.
    await expect(listAuditEvents(userCtx(other.ownerId, org.id))).rejects.toThrow("iam:read");
  });
});
