// /v1/projects/{projectId}/api-keys (contract §6): the same engine and rules as organization
// keys, scoped to one project. Requests are shaped as the SDKs' ProjectApiKeys sends them.
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as orgKeyItem from "@/app/v1/organization/api-keys/[apiKeyId]/route";
import * as orgKeys from "@/app/v1/organization/api-keys/route";
import * as organizationRoute from "@/app/v1/organization/route";
import * as keyItem from "@/app/v1/projects/[projectId]/api-keys/[apiKeyId]/route";
import * as keys from "@/app/v1/projects/[projectId]/api-keys/route";
import * as projectItem from "@/app/v1/projects/[projectId]/route";
import * as projects from "@/app/v1/projects/route";
import { generateApiKey, hashApiKey, lastSix } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { PROJECT_ROLES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { reloadEnv } from "@/lib/env";
import { settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { call } from "../helpers/api";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const SDK = { "x-confident-sdk-version": "confidentai-ts/0.1.0" };
let org: TestOrg;
let project: { id: string };
let defaultKey: { id: number; value: string };

const p = () => getPrisma();
const base = (projectId: string) => `/v1/projects/${projectId}/api-keys`;
const list = (projectId = project.id, key = org.key) => call(keys, "GET", { key, headers: SDK, path: base(projectId), params: { projectId } });
const create = (name: unknown, projectId = project.id, key = org.key) =>
  call(keys, "POST", { key, headers: SDK, path: base(projectId), params: { projectId }, body: { name } });
const at = (id: number | string, projectId: string) => ({ headers: SDK, path: `${base(projectId)}/${id}`, params: { projectId, apiKeyId: String(id) } });
const get = (id: number | string, projectId = project.id, key = org.key) => call(keyItem, "GET", { key, ...at(id, projectId) });
const update = (id: number | string, valid: unknown, projectId = project.id, key = org.key) =>
  call(keyItem, "PUT", { key, ...at(id, projectId), body: { valid } });
const remove = (id: number | string, projectId = project.id, key = org.key) => call(keyItem, "DELETE", { key, ...at(id, projectId) });

async function keyOf(userId: string) {
  const raw = generateApiKey();
  await p().apiKey.create({ data: { organizationId: org.id, name: "k", keyHash: hashApiKey(raw), last6: lastSix(raw), createdByUserId: userId } });
  return raw;
}

async function newProject(name: string, owner = org) {
  const res = await call(projects, "POST", { key: owner.key, headers: SDK, body: { name } });
  expect(res.status).toBe(200);
  return res.body.data as { project: { id: string }; apiKey: { id: number; value: string } };
}

async function rows() {
  await settleBackgroundWrites();
  const tables = ["Project", "ProjectMembership", "ApiKey", "AuditEvent"];
  const sql = tables.map((t) => `SELECT '${t}' AS t, (to_jsonb(x) - 'lastUsedAt')::text AS r FROM "${t}" x`).join(" UNION ALL ");
  return (await p().$queryRawUnsafe<{ t: string; r: string }[]>(sql)).map((x) => `${x.t} ${x.r}`).sort();
}

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
  ({ project, apiKey: defaultKey } = await newProject("Checkout"));
});

afterEach(() => {
  vi.unstubAllEnvs();
  reloadEnv();
});

describe("project API keys", () => {
  it("create: the full confident_proj_ value once, only its SHA-256 stored, the acting user as creator, audited", async () => {
    const admin = await addMember(org.id, "admin@example.com", SYSTEM_ROLES.Admin);
    const res = await create("  CI  ", project.id, await keyOf(admin.id));
    expect(res.status).toBe(200);
    const apiKey = res.body.data.apiKey;
    expect(apiKey).toEqual({
      id: expect.any(Number),
      name: "CI",
      valid: true,
      value: expect.stringMatching(/^confident_proj_[0-9a-f]{32,}$/),
      created_at: expect.stringMatching(TIMESTAMP),
      lastUsed: null,
      createdBy: { id: admin.id, email: "admin@example.com", name: null },
    });
    const row = await p().apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(row).toMatchObject({ organizationId: org.id, projectId: project.id, createdByUserId: admin.id, last6: apiKey.value.slice(-6) });
    expect(row.keyHash).toBe(createHash("sha256").update(apiKey.value).digest("hex"));
    const event = await p().auditEvent.findFirstOrThrow({ where: { action: "project.apiKeys.create", targetId: String(apiKey.id) } });
    expect(event).toMatchObject({ projectId: project.id, targetType: "apiKey", actorType: "apiKey" });
  });

  it("list and get: redacted, oldest first, only this project's keys; the org list never shows project keys", async () => {
    const ci = (await create("CI")).body.data.apiKey;
    const other = await newProject("Search");
    const res = await list();
    expect(res.status).toBe(200);
    expect(res.body.data.apiKeys.map((k: { id: number; value: string }) => [k.id, k.value])).toEqual([
      [defaultKey.id, "*".repeat(15) + defaultKey.value.slice(-6)],
      [ci.id, "*".repeat(15) + ci.value.slice(-6)],
    ]);
    const one = await get(ci.id);
    expect(one.body.data.apiKey).toEqual({ ...ci, value: "*".repeat(15) + ci.value.slice(-6) });
    const orgList = await call(orgKeys, "GET", { key: org.key });
    expect(orgList.body.data.apiKeys.map((k: { id: number }) => k.id)).toEqual([org.apiKeyId]);
    expect((await list(other.project.id)).body.data.apiKeys.map((k: { id: number }) => k.id)).toEqual([other.apiKey.id]);
  });

  it("PUT valid:false stops the key authenticating at once (401), true restores it (403 on management: a project key)", async () => {
    const ci = (await create("CI")).body.data.apiKey;
    expect((await call(organizationRoute, "GET", { key: ci.value })).status).toBe(403);
    const off = await update(ci.id, false);
    expect(off.status).toBe(200);
    expect(off.body.data.apiKey).toMatchObject({ id: ci.id, valid: false, value: "*".repeat(15) + ci.value.slice(-6) });
    expect((await call(organizationRoute, "GET", { key: ci.value })).status).toBe(401);
    expect((await update(ci.id, true)).body.data.apiKey.valid).toBe(true);
    expect((await call(organizationRoute, "GET", { key: ci.value })).status).toBe(403);
    const events = await p().auditEvent.findMany({ where: { action: "project.apiKeys.update" } });
    expect(events.map((e) => [e.projectId, e.metadata])).toEqual(
      expect.arrayContaining([[project.id, { valid: { from: true, to: false } }], [project.id, { valid: { from: false, to: true } }]]),
    );
    for (const valid of ["false", 0, null]) expect((await update(ci.id, valid)).status).toBe(400);
  });

  it("DELETE removes the key for good, audited with the project", async () => {
    const res = await remove(defaultKey.id);
    expect(res.body).toEqual({ success: true, data: { id: defaultKey.id, deleted: true }, deprecated: false });
    expect(await p().apiKey.findUnique({ where: { id: defaultKey.id } })).toBeNull();
    expect((await call(organizationRoute, "GET", { key: defaultKey.value })).status).toBe(401);
    expect(await p().auditEvent.count({ where: { action: "project.apiKeys.delete", projectId: project.id } })).toBe(1);
    expect((await get(defaultKey.id)).status).toBe(404);
  });

  it("API_KEYS_PER_ORG applies per scope: a full project refuses more, the org and other projects do not", async () => {
    vi.stubEnv("API_KEYS_PER_ORG", "3");
    reloadEnv();
    const other = await newProject("Search");
    expect((await create("two")).status).toBe(200);
    expect((await create("three")).status).toBe(200);
    const before = await rows();
    const refused = await create("four");
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain("This project already has 3 API keys");
    expect(await rows()).toEqual(before);
    expect((await create("more", other.project.id)).status).toBe(200);
    expect((await call(orgKeys, "POST", { key: org.key, body: { name: "org" } })).status).toBe(200);
    await remove(defaultKey.id);
    expect((await create("four")).status).toBe(200);
  });

  it("a key id of another project, an org key id on a project path, a project key id on the org path: 404, nothing changes", async () => {
    const other = await newProject("Search");
    const before = await rows();
    for (const [id, projectId] of [[other.apiKey.id, project.id], [org.apiKeyId, project.id], [defaultKey.id, other.project.id]] as const) {
      for (const res of [await get(id, projectId), await update(id, false, projectId), await remove(id, projectId)]) {
        expect(res.status, `${id} in ${projectId}`).toBe(404);
        expect(res.body.error).toBe(`API key ${id} not found`);
      }
    }
    const orgPath = (method: "GET" | "PUT" | "DELETE") =>
      call(orgKeyItem, method, { key: org.key, params: { apiKeyId: String(defaultKey.id) }, body: method === "PUT" ? { valid: false } : undefined });
    for (const method of ["GET", "PUT", "DELETE"] as const) expect((await orgPath(method)).status).toBe(404);
    expect(await rows()).toEqual(before);
  });

  it("another organization's project on every project route: 404, nothing changes", async () => {
    const globex = await createOrg({ name: "Globex" });
    const foreign = await newProject("Foreign", globex);
    const id = foreign.apiKey.id;
    const pid = foreign.project.id;
    const at2 = { params: { projectId: pid }, headers: SDK };
    const before = await rows();
    const answers = [
      await call(projectItem, "GET", { key: org.key, ...at2 }),
      await call(projectItem, "PUT", { key: org.key, ...at2, body: { name: "Mine" } }),
      await call(projectItem, "PUT", { key: org.key, ...at2, body: {} }),
      await call(projectItem, "DELETE", { key: org.key, ...at2 }),
      await list(pid), await create("mine", pid), await get(id, pid), await update(id, false, pid), await remove(id, pid),
    ];
    expect(answers.map((a) => a.status)).toEqual(Array(9).fill(404));
    for (const a of answers) expect(a.body.error).toBe(`Project ${pid} not found`);
    expect(await rows()).toEqual(before);
  });

  it("permissions: apiKey:read to read, apiKey:manage to write; a non-member and an org Member outside the project get 404", async () => {
    const [viewer, bare, outsider, member] = [
      await addMember(org.id, "viewer@example.com"), await addMember(org.id, "bare@example.com"),
      await addMember(org.id, "outsider@example.com"), await addMember(org.id, "member@example.com"),
    ];
    const read = await p().permission.findMany({ where: { scope: "PROJECT", name: { in: ["apiKey:read", "project:read"] } } });
    const policy = await p().policy.create({ data: { scope: "PROJECT", projectId: project.id, name: "Key viewer", permissions: { create: read.map((x) => ({ permissionId: x.id })) } } });
    const viewing = await p().role.create({ data: { scope: "PROJECT", projectId: project.id, name: "Viewer", policies: { create: [{ policyId: policy.id }] } } });
    const nothing = await p().role.create({ data: { scope: "PROJECT", projectId: project.id, name: "Nothing" } });
    for (const [user, roleId] of [[viewer, viewing.id], [bare, nothing.id], [member, PROJECT_ROLES.Member]] as const) {
      await p().projectMembership.create({ data: { projectId: project.id, organizationId: org.id, userId: user.id, roleId } });
    }
    const k = { viewer: await keyOf(viewer.id), bare: await keyOf(bare.id), outsider: await keyOf(outsider.id), member: await keyOf(member.id) };
    const before = await rows();
    expect((await list(project.id, k.viewer)).status).toBe(200);
    expect((await get(defaultKey.id, project.id, k.viewer)).status).toBe(200);
    for (const res of [await create("x", project.id, k.viewer), await update(defaultKey.id, false, project.id, k.viewer), await remove(defaultKey.id, project.id, k.viewer)]) {
      expect(res.status).toBe(403);
      expect(res.body.error).toContain("apiKey:manage");
    }
    for (const res of [await list(project.id, k.bare), await get(defaultKey.id, project.id, k.bare)]) expect(res.body.error).toContain("apiKey:read");
    for (const res of [await list(project.id, k.outsider), await create("x", project.id, k.outsider), await remove(defaultKey.id, project.id, k.outsider)]) {
      expect(res.status).toBe(404);
    }
    expect(await rows()).toEqual(before);
    // The project Member role holds apiKey:manage.
    expect((await create("mine", project.id, k.member)).status).toBe(200);
  });
});
