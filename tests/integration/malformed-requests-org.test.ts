// Hundreds of malformed requests against the members, roles, policies, permissions and API key
// routes (tables plus seeded fast-check properties): every answer is a 4xx error envelope with a
// request id and the status the contract sets, never a 500, and the database is as it was.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as apiKeyItem from "@/app/v1/organization/api-keys/[apiKeyId]/route";
import * as apiKeysRoute from "@/app/v1/organization/api-keys/route";
import * as memberItem from "@/app/v1/organization/members/[userId]/route";
import * as membersRoute from "@/app/v1/organization/members/route";
import * as permissionsRoute from "@/app/v1/organization/permissions/route";
import * as policyItem from "@/app/v1/organization/policies/[policyId]/route";
import * as policiesRoute from "@/app/v1/organization/policies/route";
import * as roleItem from "@/app/v1/organization/roles/[roleId]/route";
import * as rolesRoute from "@/app/v1/organization/roles/route";
import { generateApiKey, hashApiKey, lastSix } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { SYSTEM_POLICIES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { reloadEnv } from "@/lib/env";
import { settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { call, type ApiResult, type CallOptions } from "../helpers/api";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Route = Parameters<typeof call>[0];
interface Case { route: Route; method: Method; opts: CallOptions; status?: number; allow?: string }
type Make = (method: Method, id?: string | null, body?: unknown, status?: number, extra?: Partial<CallOptions>) => Case;

const FC = { seed: 20_240_602, numRuns: 30 };
const ORG = "/v1/organization";
const { Owner: OWNER, Admin: ADMIN, Member: MEMBER } = SYSTEM_ROLES;
const UNKNOWN = "5f0c6d3e-8d4b-4c1a-9a51-2f1f7d9e0b11";
const [NIL, MAX] = ["00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"];
// Valid for every body endpoint at once (unknown keys are stripped): if a malformed transport
// ever got through, this body would write, and the snapshot would say so.
const ANY_OK = JSON.stringify({ roleId: MEMBER, name: "Renamed", policyIds: [], permissionIds: [], valid: false });
let a: TestOrg, other: TestOrg, deactivatedKey: string, memberId: string, otherMemberId: string, maxKeyId: number;
let editor: string, viewer: string, docs: string, permissionId: string, otherRole: string, otherPolicy: string;
let before: Awaited<ReturnType<typeof snapshot>>;
let sent = 0;
const unauthorizedMessages = new Set<string>();

async function snapshot() {
  const p = getPrisma();
  const iam = { id: true, name: true, description: true, organizationId: true } as const;
  return {
    memberships: await p.membership.findMany({ select: { organizationId: true, userId: true, roleId: true }, orderBy: [{ organizationId: "asc" }, { userId: "asc" }] }),
    roles: await p.role.findMany({ select: iam, orderBy: { id: "asc" } }),
    policies: await p.policy.findMany({ select: iam, orderBy: { id: "asc" } }),
    rolePolicies: await p.rolePolicy.findMany({ orderBy: [{ roleId: "asc" }, { policyId: "asc" }] }),
    policyPermissions: await p.policyPermission.findMany({ orderBy: [{ policyId: "asc" }, { permissionId: "asc" }] }),
    apiKeys: await p.apiKey.findMany({ select: { id: true, valid: true, name: true }, orderBy: { id: "asc" } }),
    audit: await p.auditEvent.count(),
    invitations: await p.invitation.findMany({ select: { id: true, status: true, roleId: true }, orderBy: { id: "asc" } }),
  };
}

const label = (c: Case) => `${c.method} ${c.opts.path} ${JSON.stringify({ ...c.opts, path: undefined }).slice(0, 160)}`;

/** The problems with one answer, empty when it is a proper 4xx envelope with the expected status. */
async function problems(c: Case): Promise<string[]> {
  sent++;
  const res: ApiResult = await call(c.route, c.method, c.opts);
  const out: string[] = [];
  const body = res.body ?? {};
  if (res.status < 400 || res.status > 499) out.push(`status ${res.status}`);
  if (c.status !== undefined && res.status !== c.status) out.push(`status ${res.status}, expected ${c.status}`);
  if (body.success !== false || body.deprecated !== false) out.push("not an error envelope");
  if (typeof body.error !== "string" || body.error === "") out.push("error is not a non-empty string");
  if (typeof body.code !== "string" || body.code === "") out.push("code is not a string");
  if (!res.headers.get("x-request-id")) out.push("no x-request-id header");
  if (c.allow !== undefined && res.headers.get("allow") !== c.allow) out.push(`allow ${res.headers.get("allow")}`);
  if (res.status === 401) unauthorizedMessages.add(body.error);
  return out.map((p) => `${label(c)} -> ${p}: ${JSON.stringify(body).slice(0, 200)}`);
}

async function expectAll4xx(cases: Case[]) {
  const failures: string[] = [];
  for (const c of cases) failures.push(...(await problems(c)));
  expect(failures).toEqual([]);
}

const target = (route: Route, base: string, param?: string): Make => (method, id, body, status, extra = {}) => ({
  route, method, status, opts: { key: a.key, body, params: param && id != null ? { [param]: id } : {}, ...extra,
    path: id == null ? base : `${base}/${encodeURIComponent(id.replace(/[\uD800-\uDFFF]/g, "?"))}` },
});
const [Members, Member] = [target(membersRoute, `${ORG}/members`), target(memberItem, `${ORG}/members`, "userId")];
const [Roles, Role] = [target(rolesRoute, `${ORG}/roles`), target(roleItem, `${ORG}/roles`, "roleId")];
const [Policies, Policy] = [target(policiesRoute, `${ORG}/policies`), target(policyItem, `${ORG}/policies`, "policyId")];
const [Keys, Key] = [target(apiKeysRoute, `${ORG}/api-keys`), target(apiKeyItem, `${ORG}/api-keys`, "apiKeyId")];
const Permissions = target(permissionsRoute, `${ORG}/permissions`);
type Send = (body: unknown, status?: number, extra?: Partial<CallOptions>) => Case;
const bodyTargets = (): Send[] => [
  (b, s, e) => Member("PUT", memberId, b, s, e), (b, s, e) => Roles("POST", null, b, s, e),
  (b, s, e) => Role("PUT", editor, b, s, e), (b, s, e) => Policies("POST", null, b, s, e),
  (b, s, e) => Policy("PUT", docs, b, s, e), (b, s, e) => Keys("POST", null, b, s, e),
  (b, s, e) => Key("PUT", String(a.apiKeyId), b, s, e),
];
const role = (policyIds: unknown, name: unknown = "Fuzz role", description?: unknown) => ({ name, policyIds, description });
const policy = (permissionIds: unknown, name: unknown = "Fuzz policy", description?: unknown) => ({ name, permissionIds, description });

beforeAll(async () => {
  vi.stubEnv("RATE_LIMIT_PER_MINUTE", "1000000");
  vi.stubEnv("RATE_LIMIT_ORG_PER_MINUTE", "1000000");
  reloadEnv();
  await resetDatabase(testDatabase().db);
  const p = getPrisma();
  a = await createOrg({ name: "Acme" });
  other = await createOrg({ name: "Other" });
  deactivatedKey = generateApiKey();
  await p.apiKey.create({ data: { organizationId: a.id, name: "off", keyHash: hashApiKey(deactivatedKey), last6: lastSix(deactivatedKey), valid: false } });
  permissionId = (await p.permission.findFirstOrThrow({ where: { name: "metric:read", scope: "ORGANIZATION" } })).id;
  docs = (await p.policy.create({ data: { organizationId: a.id, name: "Docs", permissions: { create: [{ permissionId }] } } })).id;
  editor = (await p.role.create({ data: { organizationId: a.id, name: "Editor", policies: { create: [{ policyId: docs }] } } })).id;
  viewer = (await p.role.create({ data: { organizationId: a.id, name: "Viewer" } })).id;
  memberId = (await addMember(a.id, "member@example.com", editor)).id;
  // Viewer is offered by a pending invitation, Editor held by a member, Docs attached to Editor: no delete may succeed.
  await p.invitation.create({ data: { organizationId: a.id, email: "pending@example.com", roleId: viewer, tokenHash: "f".repeat(64), expiresAt: new Date(Date.now() + 86_400_000) } });
  otherPolicy = (await p.policy.create({ data: { organizationId: other.id, name: "Theirs" } })).id;
  otherRole = (await p.role.create({ data: { organizationId: other.id, name: "Auditor", policies: { create: [{ policyId: otherPolicy }] } } })).id;
  otherMemberId = (await addMember(other.id, "guest@example.com")).id;
  maxKeyId = (await p.apiKey.aggregate({ _max: { id: true } }))._max.id!;
  await settleBackgroundWrites();
  before = await snapshot();
});

afterAll(() => {
  vi.unstubAllEnvs();
  reloadEnv();
});

describe("malformed organization requests get a 4xx envelope and change nothing", () => {
  it("missing, unknown and deactivated keys: 401 with one uniform message", async () => {
    const variants: Partial<CallOptions>[] = [
      { key: null }, { key: null, headers: { confident_api_key: "   " } }, { key: "nope" }, { key: generateApiKey() },
      { key: deactivatedKey }, { key: a.key.toUpperCase() }, { key: `${a.key}x` }, { key: null, headers: { authorization: `Bearer ${deactivatedKey}` } },
      { key: null, headers: { authorization: "Bearer" } }, { key: null, headers: { authorization: `Basic ${a.key}` } },
    ];
    const id = String(a.apiKeyId);
    await expectAll4xx(variants.flatMap((v): Case[] => [
      Members("GET", null, undefined, 401, v), Member("PUT", memberId, { roleId: MEMBER }, 401, v), Member("DELETE", memberId, undefined, 401, v),
      Roles("GET", null, undefined, 401, v), Roles("POST", null, role([]), 401, v), Role("PUT", editor, role([]), 401, v), Role("DELETE", viewer, undefined, 401, v),
      Policies("GET", null, undefined, 401, v), Policies("POST", null, policy([]), 401, v), Policy("PUT", docs, policy([]), 401, v), Policy("DELETE", docs, undefined, 401, v),
      Permissions("GET", null, undefined, 401, v), Keys("GET", null, undefined, 401, v), Keys("POST", null, { name: "k" }, 401, v),
      Key("GET", id, undefined, 401, v), Key("PUT", id, { valid: false }, 401, v), Key("DELETE", id, undefined, 401, v),
      Key("DELETE", "abc", undefined, 401, v), Role("PUT", "nope", "{", 401, v), Members("GET", null, undefined, 401, { ...v, query: { page: "0" } }),
    ]));
    expect([...unauthorizedMessages]).toHaveLength(1);
  });

  it("wrong methods are 405 with Allow, with or without a key", async () => {
    const wrong: [Make, string | null, Method[], string][] = [
      [Members, null, ["POST", "PUT", "PATCH", "DELETE"], "GET"], [Member, memberId, ["GET", "POST", "PATCH"], "PUT, DELETE"],
      [Roles, null, ["PUT", "PATCH", "DELETE"], "GET, POST"], [Role, editor, ["GET", "POST", "PATCH"], "PUT, DELETE"],
      [Policies, null, ["PUT", "PATCH", "DELETE"], "GET, POST"], [Policy, docs, ["GET", "POST", "PATCH"], "PUT, DELETE"],
      [Permissions, null, ["POST", "PUT", "PATCH", "DELETE"], "GET"], [Keys, null, ["PUT", "PATCH", "DELETE"], "GET, POST"],
      [Key, String(a.apiKeyId), ["POST", "PATCH"], "GET, PUT, DELETE"],
    ];
    await expectAll4xx(wrong.flatMap(([make, id, methods, allow]) => methods.flatMap((method) => {
      const body = method === "GET" ? undefined : ANY_OK;
      return [{ ...make(method, id, body, 405), allow }, { ...make(method, id, body && "{nope", 405, { key: null }), allow }];
    })));
  });

  it("bad paging on GET /members", async () => {
    const bad = ["0", "-1", "1.5", "abc", "", " 1", "1 ", "1e2", "１", "٣", "0x10", "+1", "01", "NaN", "Infinity", "null", "99999999999", "💥", "1,2", "a\u0000b"];
    await expectAll4xx([
      ...bad.flatMap((v) => [Members("GET", null, undefined, 400, { query: { page: v } }), Members("GET", null, undefined, 400, { query: { pageSize: v } })]),
      ...["101", "1000", "25.0", "100.5", "2147483648"].map((pageSize) => Members("GET", null, undefined, 400, { query: { pageSize } })),
      ...["100000001", "999999999", "-100000000"].map((page) => Members("GET", null, undefined, 400, { query: { page, pageSize: "25" } })),
    ]);
  });

  it("bodies that are not JSON objects, or not sent as JSON", async () => {
    const notJson = ["{", '{"name":', "nope", "{'name':'x'}", "[1,2", '{"name":"x",}', "undefined", '{"valid":false} trailing', `{"roleId":"${MEMBER}"`];
    const notObjects = ["[]", '"str"', "42", "null", "true", `[${ANY_OK}]`, "", "  \n "];
    const types = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "text/json", "application/jsonx"];
    await expectAll4xx(bodyTargets().flatMap((make) => [
      ...[...notJson, ...notObjects].map((raw) => make(raw, 400)),
      ...types.map((type) => make(ANY_OK, 415, { headers: { "content-type": type } })),
      make(JSON.stringify({ ...JSON.parse(ANY_OK), pad: "x".repeat(1024 * 1024) }), 413),
    ]));
  });

  it("deeply nested JSON bodies are 400, not a stack overflow", async () => {
    const [arrays, objects] = [(n: number) => `${"[".repeat(n)}${"]".repeat(n)}`, (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`];
    await expectAll4xx([...bodyTargets().flatMap((make) => [make(arrays(10_000), 400), make(`{"name":${objects(10_000)},"valid":true}`, 400)]),
      Roles("POST", null, `{"name":"Deep","policyIds":[],"description":${arrays(100_000)}}`, 400)]);
  });

  it("members: bad user ids and role ids, other orgs' members, the Owner", async () => {
    const badRoles = ["not-a-uuid", 42, "", null, true, {}, [MEMBER], `{${MEMBER}}`, `${MEMBER} `, MEMBER.replaceAll("-", ""), `${MEMBER}x`];
    await expectAll4xx([
      ...badRoles.map((roleId) => Member("PUT", memberId, { roleId }, 400)), Member("PUT", memberId, {}, 400), Member("PUT", memberId, { RoleId: MEMBER }, 400),
      ...[UNKNOWN, NIL, otherRole].map((roleId) => Member("PUT", memberId, { roleId }, 422)), Member("PUT", a.ownerId, { roleId: UNKNOWN }, 422),
      ...[ADMIN, MEMBER, editor, ADMIN.toUpperCase()].map((roleId) => Member("PUT", a.ownerId, { roleId }, 409)),
      Member("DELETE", a.ownerId, undefined, 403), Member("PUT", "nobody", { roleId: "bad" }, 400),
      ...["", "x".repeat(101), "a\u0000b"].flatMap((id) => [Member("PUT", id, { roleId: MEMBER }, 400), Member("DELETE", id, undefined, 400)]),
      ...["nobody", other.ownerId, otherMemberId, "x".repeat(100), a.id, "' OR 1=1 --", "%", "💥"].flatMap((id) => [
        Member("PUT", id, { roleId: MEMBER }, 404), Member("DELETE", id, undefined, 404)]),
    ]);
  });

  it("roles and policies: bad bodies, unknown references, system rows, name clashes, rows in use", async () => {
    const hundredOne = Array.from({ length: 101 }, (_, i) => `${UNKNOWN.slice(0, 24)}${String(i).padStart(12, "0")}`);
    const badNames = ["", "   ", "\t\n", "\u3000", "x".repeat(101), 1, null, true, [], {}, ["Editor"], "a\u0000b"];
    const badIds = [undefined, "abc", UNKNOWN, null, {}, 42, ["abc"], [1], [null], [UNKNOWN, "x"], [[UNKNOWN]], hundredOne, Array(101).fill(docs), [`${UNKNOWN}\u0000`]];
    const badDescriptions = ["x".repeat(501), 42, true, [], {}, "a\u0000b"];
    const bad = (make: (ids: unknown, name?: unknown, d?: unknown) => object, ok: string[]) => [
      ...badNames.map((name) => make(ok, name)), { ...make(ok), name: undefined }, ...badIds.map((ids) => make(ids)), ...badDescriptions.map((d) => make(ok, "Fuzz", d)),
    ];
    const unknownPolicies = [[UNKNOWN], [NIL], [MAX], [otherPolicy], [docs, UNKNOWN], [permissionId], hundredOne.slice(1), [UNKNOWN.toUpperCase()]];
    const unknownPermissions = [[UNKNOWN], [permissionId, NIL], [docs], [SYSTEM_POLICIES.FullAccess], hundredOne.slice(1)];
    const badPaths = ["abc", "1", "", UNKNOWN.replaceAll("-", ""), `{${UNKNOWN}}`, `${UNKNOWN} `, `${OWNER}x`, "💥", "a\u0000b"];
    await expectAll4xx([
      ...bad(role, [docs]).flatMap((body) => [Roles("POST", null, body, 400), Role("PUT", editor, body, 400), Role("PUT", OWNER, body, 400)]),
      ...bad(policy, [permissionId]).flatMap((body) => [Policies("POST", null, body, 400), Policy("PUT", docs, body, 400)]),
      ...unknownPolicies.flatMap((ids) => [Roles("POST", null, role(ids), 422), Role("PUT", editor, role(ids, "Editor"), 422)]),
      ...unknownPermissions.flatMap((ids) => [Policies("POST", null, policy(ids), 422), Policy("PUT", docs, policy(ids, "Docs"), 422)]),
      ...["owner", "EDITOR", " Viewer ", "member"].map((name) => Roles("POST", null, role([], name), 409)),
      ...["full access", "DOCS", " Read only "].map((name) => Policies("POST", null, policy([], name), 409)),
      Role("PUT", editor, role([], "viewer"), 409), Role("PUT", editor, role([], "Admin"), 409), Policy("PUT", docs, policy([], "Read Only"), 409),
      Role("DELETE", editor, undefined, 409), Role("DELETE", viewer, undefined, 409), Policy("DELETE", docs, undefined, 409),
      ...[OWNER, ADMIN, MEMBER, OWNER.toUpperCase()].flatMap((id) => [Role("PUT", id, role([]), 403), Role("DELETE", id, undefined, 403)]),
      ...Object.values(SYSTEM_POLICIES).flatMap((id) => [Policy("PUT", id, policy([]), 403), Policy("DELETE", id, undefined, 403)]),
      ...[UNKNOWN, NIL, MAX, otherRole, docs].flatMap((id) => [Role("PUT", id, role([]), 404), Role("DELETE", id, undefined, 404)]),
      ...[UNKNOWN, NIL, MAX, otherPolicy, editor].flatMap((id) => [Policy("PUT", id, policy([]), 404), Policy("DELETE", id, undefined, 404)]),
      ...badPaths.flatMap((id) => [Role("PUT", id, role([]), 400), Role("DELETE", id, undefined, 400), Policy("PUT", id, policy([]), 400), Policy("DELETE", id, undefined, 400)]),
    ]);
  });

  it("API keys: bad ids, bad bodies, other orgs' keys", async () => {
    const ids = ["0", "-1", "abc", "1e3", "99999999999", "1.5", " 1", "01", "+1", "0x1", "", "2147483648", "１", "null", "a\u0000b"];
    const valids = ["false", "true", 0, 1, null, "", [], {}, "no", [false]];
    const names = ["", "   ", "\u3000", "x".repeat(101), 1, null, false, [], {}, ["key"], "a\u0000b"];
    const key = String(a.apiKeyId);
    await expectAll4xx([
      ...ids.flatMap((id) => [Key("GET", id, undefined, 400), Key("PUT", id, { valid: false }, 400), Key("DELETE", id, undefined, 400)]),
      ...["2147483647", String(other.apiKeyId), String(maxKeyId + 1)].flatMap((id) => [Key("GET", id, undefined, 404), Key("PUT", id, { valid: false }, 404), Key("DELETE", id, undefined, 404)]),
      ...valids.map((valid) => Key("PUT", key, { valid }, 400)), Key("PUT", key, {}, 400), Key("PUT", key, { Valid: false }, 400),
      ...names.map((name) => Keys("POST", null, { name }, 400)), Keys("POST", null, {}, 400), Keys("POST", null, { Name: "k" }, 400),
    ]);
  });

  it("generated malformed inputs (fast-check, fixed seed)", async () => {
    const check = async (c: Case) => void expect(await problems(c)).toEqual([]);
    const run = <T extends unknown[]>(property: fc.IAsyncPropertyWithHooks<T>) => fc.assert(property, FC);
    const parses = (s: string) => { try { return [JSON.parse(s)]; } catch { return []; } };
    const notJsonObject = (s: string) => parses(s).every((v) => v === null || typeof v !== "object" || Array.isArray(v));
    const uuidish = (s: string) => /^[0-9a-f-]{36}$/i.test(s);
    const nonString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }));
    const scalar = fc.oneof(nonString, fc.string());
    const junk = fc.oneof(nonString, fc.array(fc.jsonValue(), { maxLength: 3 }));
    const nonUuid = fc.oneof(junk, fc.string({ unit: "binary", maxLength: 40 })).filter((v) => typeof v !== "string" || !uuidish(v));
    const uuid = fc.uuid({ version: 4 }).filter((u) => ![...Object.values(SYSTEM_ROLES), ...Object.values(SYSTEM_POLICIES)].includes(u as never));
    const badName = fc.oneof(junk, fc.stringMatching(/^\s{0,5}$/), fc.string({ minLength: 101, maxLength: 300 }).filter((s) => s.trim().length > 100));
    const badIds = fc.oneof(scalar, fc.tuple(fc.array(fc.constant(docs), { maxLength: 3 }), nonUuid).map(([ok, x]) => [...ok, x]),
      fc.array(fc.uuid({ version: 4 }), { minLength: 101, maxLength: 130 }));
    const badDescription = fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string(), { maxLength: 2 }), fc.string({ minLength: 501, maxLength: 700 }).filter((s) => s.trim().length > 500));
    const badIam = (make: (ids: unknown, name?: unknown, description?: unknown) => object) => fc.oneof(badName.map((n) => make([], n)), badIds.map((ids) => make(ids)), badDescription.map((d) => make([], "Fuzz", d)));
    const badRaw = fc.oneof(fc.string({ unit: "binary" }), fc.jsonValue().map((v) => JSON.stringify(v))).filter(notJsonObject);
    const binary = (maxLength: number) => fc.string({ unit: "binary", maxLength });
    const page = fc.tuple(fc.constantFrom({ field: "page", max: 100_000_000 }, { field: "pageSize", max: 100 }),
      fc.oneof(binary(12), fc.integer().map(String), fc.double().map(String))).filter(([{ max }, v]) => !(/^[1-9]\d{0,8}$/.test(v) && Number(v) <= max));
    const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);

    await run(fc.asyncProperty(page, ([{ field }, v]) => check(Members("GET", null, undefined, 400, { query: { [field]: v } }))));
    await run(fc.asyncProperty(badRaw, fc.nat(6), (raw, i) => check(bodyTargets()[i]!(raw, 400))));
    await run(fc.asyncProperty(badIam(role), fc.boolean(), (body, put) => check(put ? Role("PUT", editor, body, 400) : Roles("POST", null, body, 400))));
    await run(fc.asyncProperty(badIam(policy), fc.boolean(), (body, put) => check(put ? Policy("PUT", docs, body, 400) : Policies("POST", null, body, 400))));
    await run(fc.asyncProperty(fc.uniqueArray(uuid, { minLength: 1, maxLength: 5 }), fc.boolean(), (ids, put) =>
      check(put ? Role("PUT", editor, role([docs, ...ids], "Editor"), 422) : Roles("POST", null, role([...ids, docs]), 422))));
    await run(fc.asyncProperty(fc.uniqueArray(uuid, { minLength: 1, maxLength: 5 }), fc.boolean(), (ids, put) =>
      check(put ? Policy("PUT", docs, policy([permissionId, ...ids], "Docs"), 422) : Policies("POST", null, policy(ids), 422))));
    await run(fc.asyncProperty(binary(40).filter((s) => !uuidish(s)), pick(Role, Policy), pick<Method>("PUT", "DELETE"), (id, make, method) =>
      check(make(method, id, method === "PUT" ? { ...role([]), ...policy([]) } : undefined, 400))));
    await run(fc.asyncProperty(uuid, pick(Role, Policy), pick<Method>("PUT", "DELETE"), (id, make, method) =>
      check(make(method, id, method === "PUT" ? { ...role([]), ...policy([]) } : undefined, 404))));
    await run(fc.asyncProperty(binary(120), pick<Method>("PUT", "DELETE"), (id, method) =>
      check(Member(method, id, method === "PUT" ? { roleId: MEMBER } : undefined, id === "" || id.length > 100 || id.includes("\u0000") ? 400 : 404))));
    await run(fc.asyncProperty(nonUuid, (roleId) => check(Member("PUT", memberId, { roleId }, 400))));
    await run(fc.asyncProperty(uuid, fc.boolean(), (roleId, owner) => check(Member("PUT", owner ? a.ownerId : memberId, { roleId }, 422))));
    await run(fc.asyncProperty(binary(15).filter((s) => !/^[1-9]\d{0,9}$/.test(s) || Number(s) > 2_147_483_647), pick<Method>("GET", "PUT", "DELETE"), (id, method) =>
      check(Key(method, id, method === "PUT" ? { valid: false } : undefined, 400))));
    await run(fc.asyncProperty(fc.integer({ min: maxKeyId + 1, max: 2_147_483_647 }), pick<Method>("GET", "PUT", "DELETE"), (id, method) =>
      check(Key(method, String(id), method === "PUT" ? { valid: true } : undefined, 404))));
    await run(fc.asyncProperty(fc.jsonValue().filter((v) => typeof v !== "boolean"), (valid) => check(Key("PUT", String(a.apiKeyId), { valid }, 400))));
    await run(fc.asyncProperty(badName, (name) => check(Keys("POST", null, { name }, 400))));
  });

  it("sent at least 250 requests and the database is unchanged", async () => {
    expect(sent).toBeGreaterThanOrEqual(250);
    await settleBackgroundWrites();
    expect(await snapshot()).toEqual(before);
  });
});
