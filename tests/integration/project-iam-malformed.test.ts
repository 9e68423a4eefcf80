// Hundreds of malformed requests against the project members, roles, policies and permissions
// routes (tables plus seeded fast-check properties): every answer is a 4xx error envelope with a
// request id and the status the contract sets, never a 500, and the database is as it was.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as memberItem from "@/app/v1/projects/[projectId]/members/[userId]/route";
import * as membersRoute from "@/app/v1/projects/[projectId]/members/route";
import * as permissionsRoute from "@/app/v1/projects/[projectId]/permissions/route";
import * as policyItem from "@/app/v1/projects/[projectId]/policies/[policyId]/route";
import * as policiesRoute from "@/app/v1/projects/[projectId]/policies/route";
import * as roleItem from "@/app/v1/projects/[projectId]/roles/[roleId]/route";
import * as rolesRoute from "@/app/v1/projects/[projectId]/roles/route";
import { generateApiKey, hashApiKey, lastSix, PROJECT_API_KEY_PREFIX } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { PROJECT_POLICIES, PROJECT_ROLES, SYSTEM_POLICIES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { reloadEnv } from "@/lib/env";
import { settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { call, type CallOptions } from "../helpers/api";
import { createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";
import { addProjectMember, createProject, permissionIds, projectInvitation, projectPolicy, projectRole, snapshotAll } from "./project-iam-fixtures";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Route = Parameters<typeof call>[0];
interface Case { route: Route; method: Method; opts: CallOptions; status?: number }

const FC = { seed: 20_261_202, numRuns: 25 };
const UNKNOWN = "5f0c6d3e-8d4b-4c1a-9a51-2f1f7d9e0b11";
const SYSTEM_IDS: string[] = [...Object.values(PROJECT_ROLES), ...Object.values(PROJECT_POLICIES), ...Object.values(SYSTEM_ROLES), ...Object.values(SYSTEM_POLICIES)];
// Valid for every body route at once: if a malformed transport ever got through, it would write.
const ANY_OK = JSON.stringify({ roleId: PROJECT_ROLES.Manager, name: "Renamed", policyIds: [], permissionIds: [] });
let org: TestOrg, outsider: TestOrg;
let project: string, theirProject: string, sibling: string, owner: string, member: string, siblingMember: string;
let editor: string, viewer: string, docs: string, permission: string, orgPermission: string, orgRole: string, orgPolicy: string;
let projectKey: string, deactivatedKey: string;
let before: Awaited<ReturnType<typeof snapshotAll>>;
let sent = 0;

async function problems(c: Case): Promise<string[]> {
  sent++;
  const res = await call(c.route, c.method, c.opts);
  const body = res.body ?? {};
  const out: string[] = [];
  if (res.status < 400 || res.status > 499) out.push(`status ${res.status}`);
  if (c.status !== undefined && res.status !== c.status) out.push(`status ${res.status}, expected ${c.status}`);
  if (body.success !== false || body.deprecated !== false) out.push("not an error envelope");
  if (typeof body.error !== "string" || body.error === "" || typeof body.code !== "string") out.push("error/code not strings");
  if (!res.headers.get("x-request-id")) out.push("no x-request-id");
  const label = `${c.method} ${c.opts.path} ${JSON.stringify({ ...c.opts, path: undefined }).slice(0, 160)}`;
  return out.map((p) => `${label} -> ${p}: ${JSON.stringify(body).slice(0, 200)}`);
}

async function expectAll4xx(cases: Case[]) {
  const failures: string[] = [];
  for (const c of cases) failures.push(...(await problems(c)));
  expect(failures).toEqual([]);
}

type Make = (method: Method, id?: string | null, body?: unknown, status?: number, extra?: Partial<CallOptions> & { projectId?: string }) => Case;
const target = (route: Route, area: string, param?: string): Make => (method, id, body, status, { projectId = project, ...extra } = {}) => ({
  route, method, status,
  opts: { key: org.key, body, params: { projectId, ...(param && id != null ? { [param]: id } : {}) }, ...extra, path: `/v1/projects/${encodeURIComponent(projectId.replace(/[\uD800-\uDFFF]/g, "?"))}/${area}` },
});
const [Members, Member] = [target(membersRoute, "members"), target(memberItem, "members", "userId")];
const [Roles, Role] = [target(rolesRoute, "roles"), target(roleItem, "roles", "roleId")];
const [Policies, Policy] = [target(policiesRoute, "policies"), target(policyItem, "policies", "policyId")];
const Permissions = target(permissionsRoute, "permissions");
const role = (policyIds: unknown, name: unknown = "Fuzz role", description?: unknown) => ({ name, policyIds, description });
const policy = (permissionIds: unknown, name: unknown = "Fuzz policy", description?: unknown) => ({ name, permissionIds, description });
/** Every (route, method) with a well-formed request, for the transport-level cases. */
const everyRoute = (status: number, extra: Partial<CallOptions> & { projectId?: string } = {}): Case[] => [
  Members("GET", null, undefined, status, extra), Member("PUT", member, { roleId: PROJECT_ROLES.Manager }, status, extra), Member("DELETE", member, undefined, status, extra),
  Roles("GET", null, undefined, status, extra), Roles("POST", null, role([]), status, extra), Role("PUT", editor, role([]), status, extra), Role("DELETE", viewer, undefined, status, extra),
  Policies("GET", null, undefined, status, extra), Policies("POST", null, policy([]), status, extra), Policy("PUT", docs, policy([]), status, extra), Policy("DELETE", docs, undefined, status, extra),
  Permissions("GET", null, undefined, status, extra),
];
const bodyRoutes = (body: unknown, status: number, extra: Partial<CallOptions> = {}): Case[] => [
  Member("PUT", member, body, status, extra), Roles("POST", null, body, status, extra), Role("PUT", editor, body, status, extra),
  Policies("POST", null, body, status, extra), Policy("PUT", docs, body, status, extra),
];

beforeAll(async () => {
  vi.stubEnv("RATE_LIMIT_PER_MINUTE", "1000000");
  vi.stubEnv("RATE_LIMIT_ORG_PER_MINUTE", "1000000");
  reloadEnv();
  await resetDatabase(testDatabase().db);
  const p = getPrisma();
  org = await createOrg({ name: "Acme" });
  outsider = await createOrg({ name: "Outsider" });
  const evals = await createProject(org.id, "Evals");
  project = evals.id;
  theirProject = (await createProject(outsider.id, "Theirs")).id;
  const sib = await createProject(org.id, "Sibling");
  sibling = sib.id;
  owner = (await addProjectMember(evals, "owner@acme.test", PROJECT_ROLES.Owner)).id;
  const ids = await permissionIds("PROJECT");
  permission = ids.get("trace:read")!;
  orgPermission = (await permissionIds("ORGANIZATION")).get("user:read")!;
  docs = (await projectPolicy(project, "Docs", ["trace:read"])).id;
  editor = (await projectRole(project, "Editor", [docs])).id;
  viewer = (await projectRole(project, "Viewer", [])).id;
  member = (await addProjectMember(evals, "member@acme.test", editor)).id;
  // Editor is held, Viewer offered by an open invitation, Docs attached to Editor: no delete may succeed.
  await projectInvitation(evals, "pending@acme.test", viewer, "DECLINED");
  siblingMember = (await addProjectMember(sib, "sib@acme.test", PROJECT_ROLES.Member)).id;
  orgRole = (await p.role.create({ data: { organizationId: org.id, name: "Org role" } })).id;
  orgPolicy = (await p.policy.create({ data: { organizationId: org.id, name: "Org policy" } })).id;
  projectKey = generateApiKey(PROJECT_API_KEY_PREFIX);
  deactivatedKey = generateApiKey();
  await p.apiKey.createMany({
    data: [
      { organizationId: org.id, projectId: project, name: "project", keyHash: hashApiKey(projectKey), last6: lastSix(projectKey) },
      { organizationId: org.id, name: "off", keyHash: hashApiKey(deactivatedKey), last6: lastSix(deactivatedKey), valid: false },
    ],
  });
  await settleBackgroundWrites();
  before = await snapshotAll();
});

afterAll(() => {
  vi.unstubAllEnvs();
  reloadEnv();
});

describe("malformed project IAM requests get a 4xx envelope and change nothing", () => {
  it("keys: missing, unknown, deactivated (401) and project keys (403)", async () => {
    const unauthorized: Partial<CallOptions>[] = [{ key: null }, { key: "nope" }, { key: generateApiKey() }, { key: deactivatedKey }, { key: `${org.key}x` }];
    await expectAll4xx([...unauthorized.flatMap((v) => everyRoute(401, v)), ...everyRoute(403, { key: projectKey })]);
  });

  it("projects that are not this org's, or ids that are not project ids", async () => {
    // Project ids are opaque: any 1-100 characters are looked up (and not found); only an empty
    // or over-long id, or one with a NUL, is a malformed request.
    const notFound = [theirProject, "nope", "c".repeat(64), UNKNOWN, "a b", "x".repeat(65), "💥", "../roles", "%"];
    const badIds = ["", "x".repeat(101), "a\u0000b"];
    await expectAll4xx([
      ...notFound.flatMap((projectId) => everyRoute(404, { projectId })),
      ...everyRoute(404, { key: outsider.key }),
      ...badIds.flatMap((projectId) => everyRoute(400, { projectId })),
    ]);
  });

  it("bodies that are not JSON objects, not JSON, or too large", async () => {
    const raw = ["{", '{"name":', "nope", "[1,2", '{"name":"x",}', "[]", '"str"', "42", "null", `[${ANY_OK}]`, "", "  "];
    const types = ["text/plain", "application/x-www-form-urlencoded", "application/xml", "text/json"];
    await expectAll4xx([
      ...raw.flatMap((r) => bodyRoutes(r, 400)),
      ...types.flatMap((type) => bodyRoutes(ANY_OK, 415, { headers: { "content-type": type } })),
      ...bodyRoutes(JSON.stringify({ ...JSON.parse(ANY_OK), pad: "x".repeat(1024 * 1024) }), 413),
    ]);
  });

  it("members: paging, role ids, the Owner, non-members", async () => {
    const pages = ["0", "-1", "1.5", "abc", "", "01", "1e2", "99999999999"];
    await expectAll4xx([
      ...pages.flatMap((v) => [Members("GET", null, undefined, 400, { query: { page: v } }), Members("GET", null, undefined, 400, { query: { pageSize: v } })]),
      Members("GET", null, undefined, 400, { query: { pageSize: "101" } }),
      ...["not-a-uuid", 42, null, [PROJECT_ROLES.Member], `${PROJECT_ROLES.Member}x`].map((roleId) => Member("PUT", member, { roleId }, 400)), Member("PUT", member, {}, 400),
      ...[UNKNOWN, SYSTEM_ROLES.Admin, SYSTEM_ROLES.Owner, orgRole, docs].map((roleId) => Member("PUT", member, { roleId }, 422)),
      ...[PROJECT_ROLES.Manager, PROJECT_ROLES.Member, editor].map((roleId) => Member("PUT", owner, { roleId }, 409)), Member("DELETE", owner, undefined, 403),
      ...[org.ownerId, siblingMember, outsider.ownerId, "nobody"].flatMap((id) => [Member("PUT", id, { roleId: PROJECT_ROLES.Member }, 404), Member("DELETE", id, undefined, 404)]),
      ...["", "x".repeat(101)].map((id) => Member("DELETE", id, undefined, 400)),
    ]);
  });

  it("roles and policies: bad bodies, unknown references, system rows, clashes, rows in use, others' rows", async () => {
    const badNames = ["", "   ", "x".repeat(101), 1, null, [], "a\u0000b"];
    const badIds = [undefined, "abc", null, [1], ["abc"], Array(101).fill(docs)];
    await expectAll4xx([
      ...badNames.flatMap((name) => [Roles("POST", null, role([], name), 400), Policy("PUT", docs, policy([], name), 400)]),
      ...badIds.flatMap((ids) => [Roles("POST", null, role(ids), 400), Role("PUT", editor, role(ids), 400), Policies("POST", null, policy(ids), 400)]),
      Roles("POST", null, role([], "R", 42), 400), Policies("POST", null, policy([], "P", "d".repeat(501)), 400),
      ...[[UNKNOWN], [orgPolicy], [SYSTEM_POLICIES.ReadOnly], [permission]].flatMap((ids) => [Roles("POST", null, role(ids), 422), Role("PUT", editor, role(ids, "Editor"), 422)]),
      ...[[UNKNOWN], [orgPermission], [docs], [permission, PROJECT_POLICIES.FullAccess]].flatMap((ids) => [Policies("POST", null, policy(ids), 422), Policy("PUT", docs, policy(ids, "Docs"), 422)]),
      ...["owner", " MANAGER ", "editor"].map((name) => Roles("POST", null, role([], name), 409)),
      ...["project full access", "DOCS"].map((name) => Policies("POST", null, policy([], name), 409)),
      Role("DELETE", editor, undefined, 409), Role("DELETE", viewer, undefined, 409), Policy("DELETE", docs, undefined, 409),
      ...Object.values(PROJECT_ROLES).flatMap((id) => [Role("PUT", id, role([]), 403), Role("DELETE", id, undefined, 403)]),
      ...Object.values(PROJECT_POLICIES).flatMap((id) => [Policy("PUT", id, policy([]), 403), Policy("DELETE", id, undefined, 403)]),
      ...[UNKNOWN, orgRole, SYSTEM_ROLES.Member, docs].flatMap((id) => [Role("PUT", id, role([]), 404), Role("DELETE", id, undefined, 404)]),
      ...[UNKNOWN, orgPolicy, SYSTEM_POLICIES.FullAccess, editor].flatMap((id) => [Policy("PUT", id, policy([]), 404), Policy("DELETE", id, undefined, 404)]),
      // This project's rows through a sibling project's path.
      Role("PUT", editor, role([]), 404, { projectId: sibling }), Role("DELETE", viewer, undefined, 404, { projectId: sibling }),
      Policy("PUT", docs, policy([]), 404, { projectId: sibling }), Member("PUT", member, { roleId: PROJECT_ROLES.Member }, 404, { projectId: sibling }),
      ...["abc", "1", UNKNOWN.replaceAll("-", ""), `${UNKNOWN} `].flatMap((id) => [Role("PUT", id, role([]), 400), Policy("DELETE", id, undefined, 400)]),
    ]);
  });

  it("generated malformed inputs (fast-check, fixed seed)", async () => {
    const check = async (c: Case) => void expect(await problems(c)).toEqual([]);
    const run = <T extends unknown[]>(property: fc.IAsyncPropertyWithHooks<T>) => fc.assert(property, FC);
    const uuidish = (s: string) => /^[0-9a-f-]{36}$/i.test(s);
    const junk = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }));
    const uuid = fc.uuid({ version: 4 }).filter((u) => !SYSTEM_IDS.includes(u));
    const binary = (maxLength: number) => fc.string({ unit: "binary", maxLength });
    const badName = fc.oneof(junk, fc.stringMatching(/^\s{0,5}$/), fc.string({ minLength: 101, maxLength: 200 }).filter((s) => s.trim().length > 100));
    const badIds = fc.oneof(junk, fc.string(), fc.array(binary(40).filter((s) => !uuidish(s)), { minLength: 1, maxLength: 3 }))
      .filter((v) => !(Array.isArray(v) && v.length === 0)); // [] is a valid (empty) list
    const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);

    // A project id of 1-100 characters without NUL is looked up (404 when unknown); others are 400.
    await run(fc.asyncProperty(binary(110), pick(...everyRoute(0).map((_, i) => i)), (projectId, i) => {
      const c = everyRoute(0, { projectId })[i]!;
      const wellFormed = projectId.length >= 1 && projectId.length <= 100 && !projectId.includes("\u0000");
      return check({ ...c, status: wellFormed ? 404 : 400 });
    }));
    await run(fc.asyncProperty(badName, fc.boolean(), (name, put) => check(put ? Role("PUT", editor, role([], name), 400) : Policies("POST", null, policy([], name), 400))));
    await run(fc.asyncProperty(badIds, fc.boolean(), (ids, put) => check(put ? Policy("PUT", docs, policy(ids), 400) : Roles("POST", null, role(ids), 400))));
    await run(fc.asyncProperty(fc.uniqueArray(uuid, { minLength: 1, maxLength: 4 }), fc.boolean(), (ids, roles) =>
      check(roles ? Roles("POST", null, role([docs, ...ids]), 422) : Policies("POST", null, policy([permission, ...ids]), 422))));
    await run(fc.asyncProperty(uuid, pick(Role, Policy), pick<Method>("PUT", "DELETE"), (id, make, method) =>
      check(make(method, id, method === "PUT" ? { ...role([]), ...policy([]) } : undefined, 404))));
    await run(fc.asyncProperty(uuid, (roleId) => check(Member("PUT", member, { roleId }, 422))));
    await run(fc.asyncProperty(binary(120), pick<Method>("PUT", "DELETE"), (id, method) =>
      check(Member(method, id, method === "PUT" ? { roleId: PROJECT_ROLES.Member } : undefined, id === "" || id.length > 100 || id.includes("\u0000") ? 400 : 404))));
    await run(fc.asyncProperty(fc.string({ unit: "binary" }).filter((s) => { try { const v = JSON.parse(s); return v === null || typeof v !== "object" || Array.isArray(v); } catch { return true; } }),
      pick(0, 1, 2, 3, 4), (raw, i) => check(bodyRoutes(raw, 400)[i]!)));
  });

  it("sent well over 100 requests and the database is unchanged", async () => {
    expect(sent).toBeGreaterThanOrEqual(400);
    await settleBackgroundWrites();
    expect(await snapshotAll()).toEqual(before);
  });
});
