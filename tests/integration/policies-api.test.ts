import { beforeEach, describe, expect, it } from "vitest";
import * as permissionsRoute from "@/app/v1/organization/permissions/route";
import * as policiesRoute from "@/app/v1/organization/policies/route";
import * as policyItem from "@/app/v1/organization/policies/[policyId]/route";
import * as rolesRoute from "@/app/v1/organization/roles/route";
import * as roleItem from "@/app/v1/organization/roles/[roleId]/route";
import { getPrisma } from "@/lib/db";
import { SYSTEM_POLICIES } from "@/lib/db/system-roles";
import { iamWrite } from "@/lib/services/iam";
import { PERMISSIONS, permissionsOf } from "@/lib/services/permissions";
import { createPolicy, updatePolicy } from "@/lib/services/policies";
import { call } from "../helpers/api";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

const UNKNOWN = "5f0c6d3e-8d4b-4c1a-9a51-2f1f7d9e0b11";
let org: TestOrg;
let ids: Record<string, string>;

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
  const catalogue = await getPrisma().permission.findMany({ where: { scope: "ORGANIZATION" } });
  ids = Object.fromEntries(catalogue.map((p) => [p.name, p.id]));
});

const list = (key = org.key) => call(policiesRoute, "GET", { key });
const create = (body: unknown, key = org.key) => call(policiesRoute, "POST", { key, body });
const update = (id: string, body: unknown, key = org.key) =>
  call(policyItem, "PUT", { key, body, params: { policyId: id } });
const remove = (id: string, key = org.key) => call(policyItem, "DELETE", { key, params: { policyId: id } });
const perms = (...names: string[]) => names.map((n) => ids[n]!);
const names = (items: { name: string }[]) => items.map((i) => i.name);

const customPolicies = () =>
  getPrisma().policy.findMany({
    where: { organizationId: org.id },
    include: { permissions: true },
    orderBy: { name: "asc" },
  });
const audits = (action: string) =>
  getPrisma().auditEvent.findMany({ where: { action }, orderBy: { createdAt: "asc" } });

describe("GET /v1/organization/permissions", () => {
  it("is the fixed catalogue: 12 resources x read/manage, user:delete and project:create, by name", async () => {
    const res = await call(permissionsRoute, "GET", { key: org.key });
    expect(res.status).toBe(200);
    const { permissions } = res.body.data;
    expect(permissions).toHaveLength(26);
    expect(names(permissions)).toEqual([...PERMISSIONS].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
    expect(names(permissions)).toEqual(
      expect.arrayContaining(["user:delete", "project:create", "iam:manage", "sso:read"]),
    );
    for (const p of permissions) {
      expect(p).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: expect.any(String),
        description: expect.any(String),
      });
    }
  });
});

describe("GET /v1/organization/policies", () => {
  it("lists the system policies, then this org's by name, each with its permissions by name", async () => {
    await create({ name: "zeta", permissionIds: perms("sso:read") });
    await create({ name: "Alpha", permissionIds: perms("metric:read", "billing:manage") });
    await create({ name: "Elsewhere", permissionIds: [] }, (await createOrg()).key);
    const { policies } = (await list()).body.data;
    expect(policies.map((p: any) => [p.id, p.name, p.permissions.length])).toEqual([
      [SYSTEM_POLICIES.FullAccess, "Full access", 26],
      [SYSTEM_POLICIES.ReadOnly, "Read only", 12],
      [expect.any(String), "Alpha", 2],
      [expect.any(String), "zeta", 1],
    ]);
    expect(policies[2]).toEqual({
      id: expect.any(String),
      name: "Alpha",
      description: null,
      permissions: [
        { id: ids["billing:manage"], name: "billing:manage" },
        { id: ids["metric:read"], name: "metric:read" },
      ],
    });
  });
});

describe("POST /v1/organization/policies", () => {
  it("creates a custom policy with de-duplicated permissions, audited", async () => {
    const res = await create({
      name: " Billing ",
      permissionIds: perms("billing:read", "billing:manage", "billing:read"),
    });
    expect(res.status).toBe(200);
    const { policy } = res.body.data;
    expect([policy.name, names(policy.permissions)]).toEqual(["Billing", ["billing:manage", "billing:read"]]);
    const [row] = await customPolicies();
    expect(row!.permissions.map((p) => p.permissionId).sort()).toEqual(perms("billing:read", "billing:manage").sort());
    const [event] = await audits("org.policies.create");
    expect(event).toMatchObject({
      actorType: "apiKey",
      targetType: "policy",
      targetId: policy.id,
      requestId: res.headers.get("x-request-id"),
      metadata: { name: "Billing", permissionIds: perms("billing:read", "billing:manage").sort() },
    });
  });

  it("refuses taken and system names ignoring case (409), unknown permissions (422) and bad fields (400)", async () => {
    await create({ name: "Billing", permissionIds: [] });
    const taken = await create({ name: "billing", permissionIds: [] });
    expect([taken.status, taken.body.error]).toEqual([
      409,
      'A policy named "Billing" already exists in this organization',
    ]);
    const system = await create({ name: "READ ONLY", permissionIds: [] });
    expect([system.status, system.body.error]).toEqual([
      409,
      '"Read only" is the name of a system policy; choose another name',
    ]);
    const unknown = await create({ name: "Other", permissionIds: [ids["sso:read"], UNKNOWN] });
    expect([unknown.status, unknown.body.error]).toEqual([422, `permissionIds: no such permission: ${UNKNOWN}`]);
    const bad = await create({ name: "Other", permissionIds: ["sso:read"] });
    expect([bad.status, bad.body.error]).toEqual([400, "permissionIds must contain only permission ids (UUIDs)"]);
    const missing = await create({ name: "Other" });
    expect(missing.body.error).toBe("permissionIds is required and must be a list of permission ids");
    expect(names(await customPolicies())).toEqual(["Billing"]);
    expect(await audits("org.policies.create")).toHaveLength(1);
  });

  it("maps a unique-index violation that slips past the name check to a 409 naming the clash", async () => {
    const ctx = {
      actor: { type: "apiKey" as const, apiKeyId: org.apiKeyId, organizationId: org.id, creatorUserId: null },
      requestId: "req-p2002",
    };
    await create({ name: "Billing", permissionIds: [] });
    const write = iamWrite(ctx, 'A policy named "Billing" already exists', (tx) =>
      tx.policy.create({ data: { organizationId: org.id, name: "Billing" } }),
    );
    await expect(write).rejects.toMatchObject({ status: 409, message: 'A policy named "Billing" already exists' });
  });
});

describe("PUT /v1/organization/policies/{policyId}", () => {
  it("replaces name, description and permissions, which changes what the roles using it grant", async () => {
    const { policy } = (await create({ name: "Ops", permissionIds: perms("sso:read"), description: "x" })).body.data;
    const { role } = (await call(rolesRoute, "POST", { key: org.key, body: { name: "Ops", policyIds: [policy.id] } }))
      .body.data;
    const user = await addMember(org.id, "ops@example.com", role.id);
    const actor = { type: "user" as const, userId: user.id, organizationId: org.id };
    expect([...(await permissionsOf(actor))]).toEqual(["sso:read"]);

    const res = await update(policy.id, { name: "OPS", permissionIds: perms("sso:manage", "metric:read") });
    expect(res.body.data.policy).toEqual({
      id: policy.id,
      name: "OPS",
      description: null,
      permissions: [
        { id: ids["metric:read"], name: "metric:read" },
        { id: ids["sso:manage"], name: "sso:manage" },
      ],
    });
    expect([...(await permissionsOf(actor))].sort()).toEqual(["metric:read", "sso:manage"]);
    expect((await audits("org.policies.update"))[0]!.metadata).toEqual({
      from: { name: "Ops", description: "x", permissionIds: perms("sso:read") },
      to: { name: "OPS", description: null, permissionIds: perms("sso:manage", "metric:read").sort() },
    });
  });

  it("is a 403 for system policies, 404 for unknown ids, 400 for a non-UUID id; 409/422 change nothing", async () => {
    for (const id of Object.values(SYSTEM_POLICIES)) {
      const res = await update(id, { name: "Mine", permissionIds: [] });
      expect([res.status, res.body.error]).toEqual([
        403,
        expect.stringMatching(/is a system policy; it cannot be changed/),
      ]);
    }
    expect(await getPrisma().policyPermission.count({ where: { policy: { scope: "ORGANIZATION" } } })).toBe(26 + 12);
    expect((await update(UNKNOWN, { name: "X", permissionIds: [] })).status).toBe(404);
    expect((await update("abc", { name: "X", permissionIds: [] })).body.error).toBe(
      "policyId must be a policy id (UUID)",
    );

    const { policy } = (await create({ name: "Ops", permissionIds: perms("sso:read") })).body.data;
    await create({ name: "Dev", permissionIds: [] });
    expect((await update(policy.id, { name: "dev", permissionIds: [] })).status).toBe(409);
    expect((await update(policy.id, { name: "Ops", permissionIds: [UNKNOWN] })).status).toBe(422);
    const row = (await customPolicies()).find((p) => p.id === policy.id)!;
    expect([row.name, row.permissions.map((p) => p.permissionId)]).toEqual(["Ops", perms("sso:read")]);
  });
});

describe("DELETE /v1/organization/policies/{policyId}", () => {
  it("is a 409 naming the roles while attached; afterwards deletes, audits, and a second delete is 404", async () => {
    const { policy } = (await create({ name: "Ops", permissionIds: perms("sso:read") })).body.data;
    const { role } = (
      await call(rolesRoute, "POST", { key: org.key, body: { name: "Operator", policyIds: [policy.id] } })
    ).body.data;
    const attached = await remove(policy.id);
    expect([attached.status, attached.body.error]).toEqual([
      409,
      'Policy "Ops" is still attached to role "Operator"; remove it from them first',
    ]);
    expect(await customPolicies()).toHaveLength(1);

    await call(roleItem, "PUT", {
      key: org.key,
      params: { roleId: role.id },
      body: { name: "Operator", policyIds: [] },
    });
    const res = await remove(policy.id);
    expect(res.body).toEqual({ success: true, data: { id: policy.id, deleted: true }, deprecated: false });
    expect(await customPolicies()).toEqual([]);
    expect(await getPrisma().policyPermission.count({ where: { policyId: policy.id } })).toBe(0);
    expect((await audits("org.policies.delete")).map((a) => a.targetId)).toEqual([policy.id]);
    expect((await remove(policy.id)).status).toBe(404);
  });

  it("is a 403 for system policies", async () => {
    for (const id of Object.values(SYSTEM_POLICIES)) expect((await remove(id)).status).toBe(403);
    expect(await getPrisma().policy.count({ where: { scope: "ORGANIZATION" } })).toBe(2);
  });
});

describe("another organization's key", () => {
  it("gets 404 for this org's policies on every route, sees none of them, and changes nothing", async () => {
    const { policy } = (await create({ name: "Ops", permissionIds: perms("sso:read") })).body.data;
    const outsider = await createOrg();
    const snapshot = async () => ({
      policies: await customPolicies(),
      audit: await getPrisma().auditEvent.findMany({ orderBy: { id: "asc" } }),
    });
    const before = await snapshot();
    expect((await update(policy.id, { name: "Mine", permissionIds: [] }, outsider.key)).status).toBe(404);
    expect((await remove(policy.id, outsider.key)).status).toBe(404);
    expect(names((await list(outsider.key)).body.data.policies)).toEqual(["Full access", "Read only"]);
    // Nor can it build a role on this org's policy.
    const role = await call(rolesRoute, "POST", { key: outsider.key, body: { name: "Ops", policyIds: [policy.id] } });
    expect(role.status).toBe(422);
    expect(await snapshot()).toEqual(before);
  });
});

describe("wrong methods", () => {
  it.each([
    ["roles", rolesRoute, ["PUT", "PATCH", "DELETE"], "GET, POST"],
    ["roles/{roleId}", roleItem, ["GET", "POST", "PATCH"], "PUT, DELETE"],
    ["policies", policiesRoute, ["PUT", "PATCH", "DELETE"], "GET, POST"],
    ["policies/{policyId}", policyItem, ["GET", "POST", "PATCH"], "PUT, DELETE"],
    ["permissions", permissionsRoute, ["POST", "PUT", "PATCH", "DELETE"], "GET"],
  ] as const)("/v1/organization/%s answers 405 with Allow", async (_path, route, methods, allow) => {
    for (const method of methods) {
      const res = await call(route, method, { key: org.key, params: { roleId: UNKNOWN, policyId: UNKNOWN } });
      expect([res.status, res.body.code, res.headers.get("allow")]).toEqual([405, "method_not_allowed", allow]);
    }
  });
});

describe("a signed-in user (settings UI)", () => {
  it("may only put permissions they hold into a policy, also when editing their own role's policy", async () => {
    const { policy } = (await create({ name: "IAM", permissionIds: perms("iam:read", "iam:manage") })).body.data;
    const { role } = (
      await call(rolesRoute, "POST", { key: org.key, body: { name: "IAM admin", policyIds: [policy.id] } })
    ).body.data;
    const user = await addMember(org.id, "iam@example.com", role.id);
    const ctx = { actor: { type: "user" as const, userId: user.id, organizationId: org.id }, requestId: "req-user" };

    const denied = "You cannot grant a policy with permissions you do not hold (billing:manage)";
    await expect(
      createPolicy(ctx, { name: "Money", permissionIds: perms("billing:manage", "iam:read"), description: null }),
    ).rejects.toMatchObject({ status: 403, message: denied });
    await expect(
      updatePolicy(ctx, policy.id, {
        name: "IAM",
        permissionIds: perms("iam:read", "iam:manage", "billing:manage"),
        description: null,
      }),
    ).rejects.toMatchObject({ status: 403, message: denied });
    expect([...(await permissionsOf(ctx.actor))].sort()).toEqual(["iam:manage", "iam:read"]);

    const ok = await createPolicy(ctx, { name: "IAM read", permissionIds: perms("iam:read"), description: null });
    expect(names(ok.permissions)).toEqual(["iam:read"]);
    expect(names(await customPolicies())).toEqual(["IAM", "IAM read"]);
  });
});
