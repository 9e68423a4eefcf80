// Hundreds of malformed requests against the project, project API key and governance routes
// (tables plus seeded fast-check properties): every answer is a 4xx error envelope with a
// request id and the status the contract sets, never a 500, and the database is as it was.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as assignRoute from "@/app/v1/organization/governance-policies/[policyId]/assign/route";
import * as policyProjects from "@/app/v1/organization/governance-policies/[policyId]/projects/route";
import * as policyItem from "@/app/v1/organization/governance-policies/[policyId]/route";
import * as unassignRoute from "@/app/v1/organization/governance-policies/[policyId]/unassign/route";
import * as policiesRoute from "@/app/v1/organization/governance-policies/route";
import * as keyItem from "@/app/v1/projects/[projectId]/api-keys/[apiKeyId]/route";
import * as keysRoute from "@/app/v1/projects/[projectId]/api-keys/route";
import * as projectItem from "@/app/v1/projects/[projectId]/route";
import * as projectsRoute from "@/app/v1/projects/route";
import { generateApiKey, hashApiKey, lastSix } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { reloadEnv } from "@/lib/env";
import { settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { call, type ApiResult, type CallOptions } from "../helpers/api";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Route = Parameters<typeof call>[0];
interface Case { route: Route; method: Method; opts: CallOptions; status?: number; allow?: string }

const FC = { seed: 20_261_201, numRuns: 25 };
const UNKNOWN = "5f0c6d3e-8d4b-4c1a-9a51-2f1f7d9e0b11";
let a: TestOrg, other: TestOrg, projectId: string, free: string, foreignProject: string, keyId: number, foreignKeyId: number;
let policyId: string, foreignPolicy: string, projectKey: string, deactivatedKey: string;
let before: string[];
let sent = 0;
const unauthorized = new Set<string>();

async function rows() {
  await settleBackgroundWrites();
  const tables = ["Project", "ProjectMembership", "ApiKey", "Role", "Policy", "Invitation", "AuditEvent", "GovernancePolicy", "GovernanceControl", "Membership"];
  const sql = tables.map((t) => `SELECT '${t}' AS t, (to_jsonb(x) - 'lastUsedAt')::text AS r FROM "${t}" x`).join(" UNION ALL ");
  return (await getPrisma().$queryRawUnsafe<{ t: string; r: string }[]>(sql)).map((x) => `${x.t} ${x.r}`).sort();
}

async function problems(c: Case): Promise<string[]> {
  sent++;
  const res: ApiResult = await call(c.route, c.method, c.opts);
  const out: string[] = [];
  const body = res.body ?? {};
  if (res.status < 400 || res.status > 499) out.push(`status ${res.status}`);
  if (c.status !== undefined && res.status !== c.status) out.push(`status ${res.status}, expected ${c.status}`);
  if (body.success !== false || body.deprecated !== false) out.push("not an error envelope");
  if (typeof body.error !== "string" || body.error === "" || typeof body.code !== "string") out.push("error/code not strings");
  if (!res.headers.get("x-request-id")) out.push("no x-request-id");
  if (c.allow !== undefined && res.headers.get("allow") !== c.allow) out.push(`allow ${res.headers.get("allow")}`);
  if (res.status === 401) unauthorized.add(body.error);
  const label = `${c.method} ${JSON.stringify(c.opts).slice(0, 160)}`;
  return out.map((p) => `${label} -> ${p}: ${JSON.stringify(body).slice(0, 200)}`);
}

async function expectAll4xx(cases: Case[]) {
  const failures: string[] = [];
  for (const c of cases) failures.push(...(await problems(c)));
  expect(failures).toEqual([]);
}

type Make = (params: Record<string, string>, method: Method, body?: unknown, status?: number, extra?: Partial<CallOptions>) => Case;
const target = (route: Route): Make => (params, method, body, status, extra = {}) => ({ route, method, status, opts: { key: a.key, params, body, ...extra } });
const [Projects, Project, Keys, Key] = [target(projectsRoute), target(projectItem), target(keysRoute), target(keyItem)];
const [Policies, Policy, PolicyProjects, Assign, Unassign] = [target(policiesRoute), target(policyItem), target(policyProjects), target(assignRoute), target(unassignRoute)];
const P = () => ({ projectId });
const K = (id: string | number = keyId, pid = projectId) => ({ projectId: pid, apiKeyId: String(id) });
const G = (id = policyId) => ({ policyId: id });
// Valid for every body route at once (unknown keys are stripped): if a malformed transport ever
// got through, this body would write somewhere, and the final snapshot would say so.
const anyOk = () => JSON.stringify({ name: "Renamed", valid: false, controls: [], projectIds: [free, projectId] });
type Send = (body: unknown, status?: number, extra?: Partial<CallOptions>) => Case;
const bodyTargets = (): Send[] => [
  (b, s, e) => Projects({}, "POST", b, s, e), (b, s, e) => Project(P(), "PUT", b, s, e), (b, s, e) => Keys(P(), "POST", b, s, e),
  (b, s, e) => Key(K(), "PUT", b, s, e), (b, s, e) => Policies({}, "POST", b, s, e), (b, s, e) => Policy(G(), "PUT", b, s, e),
  (b, s, e) => Assign(G(), "POST", b, s, e), (b, s, e) => Unassign(G(), "POST", b, s, e),
];

beforeAll(async () => {
  vi.stubEnv("RATE_LIMIT_PER_MINUTE", "1000000");
  vi.stubEnv("RATE_LIMIT_ORG_PER_MINUTE", "1000000");
  reloadEnv();
  await resetDatabase(testDatabase().db);
  a = await createOrg({ name: "Acme" });
  other = await createOrg({ name: "Other" });
  await addMember(a.id, "member@example.com");
  deactivatedKey = generateApiKey();
  await getPrisma().apiKey.create({ data: { organizationId: a.id, name: "off", keyHash: hashApiKey(deactivatedKey), last6: lastSix(deactivatedKey), valid: false } });
  const made = (await call(projectsRoute, "POST", { key: a.key, body: { name: "Checkout" } })).body.data;
  [projectId, keyId, projectKey] = [made.project.id, made.apiKey.id, made.apiKey.value];
  free = (await call(projectsRoute, "POST", { key: a.key, body: { name: "Free" } })).body.data.project.id;
  const theirs = (await call(projectsRoute, "POST", { key: other.key, body: { name: "Theirs" } })).body.data;
  [foreignProject, foreignKeyId] = [theirs.project.id, theirs.apiKey.id];
  policyId = (await call(policiesRoute, "POST", { key: a.key, body: { name: "Gate", controls: [{ name: "Trace", type: "RUNTIME" }] } })).body.data.governancePolicy.id;
  foreignPolicy = (await call(policiesRoute, "POST", { key: other.key, body: { name: "Theirs", controls: [] } })).body.data.governancePolicy.id;
  await call(assignRoute, "POST", { key: a.key, params: G(), body: { projectIds: [projectId] } });
  before = await rows();
});

afterAll(() => {
  vi.unstubAllEnvs();
  reloadEnv();
});

describe("malformed project and governance requests get a 4xx envelope and change nothing", () => {
  it("missing, unknown, deactivated and project keys: 401 (one message) or 403", async () => {
    const variants: Partial<CallOptions>[] = [{ key: null }, { key: "nope" }, { key: generateApiKey() }, { key: `${a.key}x` }, { key: a.key.toUpperCase() },
      { key: deactivatedKey }, { key: null, headers: { authorization: `Bearer ${deactivatedKey}` } }, { key: null, headers: { authorization: "Bearer" } }];
    const all = (v: Partial<CallOptions>, status: number): Case[] => [
      Projects({}, "GET", undefined, status, v), Projects({}, "POST", { name: "x" }, status, v), Project(P(), "GET", undefined, status, v),
      Project(P(), "PUT", { name: "x" }, status, v), Project(P(), "DELETE", undefined, status, v), Keys(P(), "GET", undefined, status, v),
      Keys(P(), "POST", { name: "k" }, status, v), Key(K(), "GET", undefined, status, v), Key(K(), "PUT", { valid: false }, status, v),
      Key(K(), "DELETE", undefined, status, v), Policies({}, "GET", undefined, status, v), Policies({}, "POST", { name: "x", controls: [] }, status, v),
      Policy(G(), "PUT", { name: "x", controls: [] }, status, v), Policy(G(), "DELETE", undefined, status, v), PolicyProjects(G(), "GET", undefined, status, v),
      Assign(G(), "POST", { projectIds: [free] }, status, v), Unassign(G(), "POST", { projectIds: [projectId] }, status, v),
    ];
    await expectAll4xx([...variants.flatMap((v) => all(v, 401)), ...all({ key: projectKey }, 403)]);
    expect([...unauthorized]).toHaveLength(1);
  });

  it("wrong methods are 405 with Allow", async () => {
    const wrong: [Make, Record<string, string>, Method[], string][] = [
      [Projects, {}, ["PUT", "PATCH", "DELETE"], "GET, POST"], [Project, P(), ["POST", "PATCH"], "GET, PUT, DELETE"],
      [Keys, P(), ["PUT", "PATCH", "DELETE"], "GET, POST"], [Key, K(), ["POST", "PATCH"], "GET, PUT, DELETE"],
      [Policies, {}, ["PUT", "PATCH", "DELETE"], "GET, POST"], [Policy, G(), ["GET", "POST", "PATCH"], "PUT, DELETE"],
      [PolicyProjects, G(), ["POST", "PUT", "PATCH", "DELETE"], "GET"], [Assign, G(), ["GET", "PUT", "PATCH", "DELETE"], "POST"],
      [Unassign, G(), ["GET", "PUT", "PATCH", "DELETE"], "POST"],
    ];
    await expectAll4xx(wrong.flatMap(([make, params, methods, allow]) => methods.map((m) => ({ ...make(params, m, m === "GET" ? undefined : anyOk(), 405), allow }))));
  });

  it("bodies that are not JSON objects, not JSON, too large or too deep", async () => {
    const raw = ["{", '{"name":', "nope", "[1,2", '{"name":"x",}', "[]", '"str"', "42", "null", "true", `[${anyOk()}]`];
    const types = ["text/plain", "application/x-www-form-urlencoded", "application/xml"];
    await expectAll4xx(bodyTargets().flatMap((make) => [
      ...raw.map((r) => make(r, 400)), ...types.map((t) => make(anyOk(), 415, { headers: { "content-type": t } })),
      make(JSON.stringify({ ...JSON.parse(anyOk()), pad: "x".repeat(1024 * 1024) }), 413),
      make(`{"name":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`, 400),
    ]));
  });

  it("project bodies: bad names, descriptions and emails; name clashes; non-members", async () => {
    const names = ["", "   ", "\u3000", "x".repeat(101), 1, null, true, [], {}, ["P"], "a\u0000b"];
    const descriptions = ["x".repeat(501), 42, true, [], {}, "a\u0000b"];
    const emails = ["nope", "a@", "@b.c", 42, true, [], {}, "a@b.c, d@e.f", "Ann <a@b.c>", "a\u0000@b.c"];
    await expectAll4xx([
      ...names.map((name) => Projects({}, "POST", { name }, 400)), Projects({}, "POST", {}, 400), Projects({}, "POST", { Name: "x" }, 400),
      ...names.map((name) => Project(P(), "PUT", { name }, 400)),
      ...descriptions.flatMap((description) => [Projects({}, "POST", { name: "Ok", description }, 400), Project(P(), "PUT", { description }, 400)]),
      ...emails.map((email) => Projects({}, "POST", { name: "Ok", email }, 400)),
      ...["checkout", " CHECKOUT ", "Free", "free"].map((name) => Projects({}, "POST", { name }, 409)), Project(P(), "PUT", { name: "FREE" }, 409),
      ...["nobody@example.com", "owner@other.test", "member@example.co"].map((email) => Projects({}, "POST", { name: "Ok", email }, 422)),
    ]);
  });

  it("bad and unknown project ids, key ids and policy ids", async () => {
    const badProject = ["", "x".repeat(101), "a\u0000b"];
    const unknownProject = ["nope", foreignProject, "x".repeat(100), a.id, "' OR 1=1 --", "%", "💥", projectId.toUpperCase()];
    const badKey = ["0", "-1", "abc", "1e3", "99999999999", "1.5", " 1", "01", "+1", "", "2147483648", "null"];
    const badPolicy = ["abc", "1", "", UNKNOWN.replaceAll("-", ""), `{${UNKNOWN}}`, `${UNKNOWN} `, "💥", "a\u0000b"];
    await expectAll4xx([
      ...badProject.flatMap((id) => [Project({ projectId: id }, "GET", undefined, 400), Project({ projectId: id }, "PUT", {}, 400),
        Project({ projectId: id }, "DELETE", undefined, 400), Keys({ projectId: id }, "GET", undefined, 400), Key(K(keyId, id), "DELETE", undefined, 400)]),
      ...unknownProject.flatMap((id) => [Project({ projectId: id }, "GET", undefined, 404), Project({ projectId: id }, "PUT", { name: "X" }, 404),
        Project({ projectId: id }, "DELETE", undefined, 404), Keys({ projectId: id }, "POST", { name: "k" }, 404), Key(K(keyId, id), "PUT", { valid: false }, 404)]),
      ...badKey.flatMap((id) => [Key(K(id), "GET", undefined, 400), Key(K(id), "PUT", { valid: false }, 400), Key(K(id), "DELETE", undefined, 400)]),
      ...[foreignKeyId, a.apiKeyId, 2_147_483_647].flatMap((id) => [Key(K(id), "GET", undefined, 404), Key(K(id), "PUT", { valid: false }, 404), Key(K(id), "DELETE", undefined, 404)]),
      ...badPolicy.flatMap((id) => [Policy(G(id), "PUT", { name: "X", controls: [] }, 400), Policy(G(id), "DELETE", undefined, 400),
        PolicyProjects(G(id), "GET", undefined, 400), Assign(G(id), "POST", { projectIds: [free] }, 400), Unassign(G(id), "POST", { projectIds: [projectId] }, 400)]),
      ...[UNKNOWN, foreignPolicy].flatMap((id) => [Policy(G(id), "PUT", { name: "X", controls: [] }, 404), Policy(G(id), "DELETE", undefined, 404),
        PolicyProjects(G(id), "GET", undefined, 404), Assign(G(id), "POST", { projectIds: [free] }, 404), Unassign(G(id), "POST", { projectIds: [projectId] }, 404)]),
    ]);
  });

  it("key, governance and paging bodies", async () => {
    const valids = ["false", "true", 0, 1, null, "", [], {}, [false]];
    const controls = [undefined, null, "RUNTIME", {}, [null], [{}], [{ name: "x" }], [{ type: "RUNTIME" }], [{ name: "", type: "RUNTIME" }],
      [{ name: "x", type: "runtime" }], [{ name: "x", type: "OTHER" }], [{ name: 1, type: "RUNTIME" }], [{ name: "x".repeat(101), type: "RUNTIME" }],
      Array(51).fill({ name: "x", type: "RUNTIME" })];
    const projectIds = [[], undefined, null, "abc", [1], [""], [null], [["x"]], ["x".repeat(101)], Array(1001).fill(free)];
    const paging = ["0", "-1", "1.5", "abc", "", "1e2", "01", "NaN", "99999999999"];
    await expectAll4xx([
      ...valids.map((valid) => Key(K(), "PUT", { valid }, 400)), Key(K(), "PUT", {}, 400), Keys(P(), "POST", {}, 400), Keys(P(), "POST", { name: "" }, 400),
      ...controls.flatMap((c) => [Policies({}, "POST", { name: "New", controls: c }, 400), Policy(G(), "PUT", { name: "Gate", controls: c }, 400)]),
      Policies({}, "POST", { controls: [] }, 400), Policies({}, "POST", { name: "gate", controls: [] }, 409),
      ...projectIds.flatMap((ids) => [Assign(G(), "POST", { projectIds: ids }, 400), Unassign(G(), "POST", { projectIds: ids }, 400)]),
      ...paging.flatMap((v) => [PolicyProjects(G(), "GET", undefined, 400, { query: { page: v } }), PolicyProjects(G(), "GET", undefined, 400, { query: { pageSize: v } })]),
      ...["101", "1000"].map((pageSize) => PolicyProjects(G(), "GET", undefined, 400, { query: { pageSize } })),
    ]);
  });

  it("generated malformed inputs (fast-check, fixed seed)", async () => {
    const check = async (c: Case) => void expect(await problems(c)).toEqual([]);
    const run = <T extends unknown[]>(property: fc.IAsyncPropertyWithHooks<T>) => fc.assert(property, FC);
    const nonString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }));
    const junk = fc.oneof(nonString, fc.array(fc.jsonValue(), { maxLength: 3 }));
    const badName = fc.oneof(junk, fc.stringMatching(/^\s{0,5}$/), fc.string({ minLength: 101, maxLength: 300 }).filter((s) => s.trim().length > 100));
    const binary = (maxLength: number) => fc.string({ unit: "binary", maxLength });
    const unknownId = binary(100).filter((s) => s.length > 0 && !s.includes("\u0000") && s !== projectId && s !== free);
    const parses = (s: string) => { try { return [JSON.parse(s)]; } catch { return []; } };
    const badRaw = fc.oneof(binary(60), fc.jsonValue().map((v) => JSON.stringify(v))).filter((s) => parses(s).every((v) => v === null || typeof v !== "object" || Array.isArray(v)));
    const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);

    await run(fc.asyncProperty(badRaw, fc.nat(7), (raw, i) => check(bodyTargets()[i]!(raw, 400))));
    await run(fc.asyncProperty(badName, fc.boolean(), (name, put) => check(put ? Project(P(), "PUT", { name }, 400) : Projects({}, "POST", { name }, 400))));
    await run(fc.asyncProperty(badName, (name) => check(Policies({}, "POST", { name, controls: [] }, 400))));
    await run(fc.asyncProperty(unknownId, pick<Method>("GET", "PUT", "DELETE"), (id, method) =>
      check(Project({ projectId: id }, method, method === "PUT" ? { name: "X" } : undefined, 404))));
    await run(fc.asyncProperty(unknownId, (id) => check(Keys({ projectId: id }, "POST", { name: "k" }, 404))));
    await run(fc.asyncProperty(binary(15).filter((s) => !/^[1-9]\d{0,9}$/.test(s) || Number(s) > 2_147_483_647), pick<Method>("GET", "PUT", "DELETE"), (id, method) =>
      check(Key(K(id), method, method === "PUT" ? { valid: false } : undefined, 400))));
    await run(fc.asyncProperty(fc.integer({ min: foreignKeyId + 1, max: 2_147_483_647 }), (id) => check(Key(K(id), "DELETE", undefined, 404))));
    await run(fc.asyncProperty(binary(40).filter((s) => !/^[0-9a-f-]{36}$/i.test(s)), pick(Policy, PolicyProjects, Assign), (id, make) =>
      check(make(G(id), make === PolicyProjects ? "GET" : make === Policy ? "DELETE" : "POST", make === Assign ? { projectIds: [free] } : undefined, 400))));
    await run(fc.asyncProperty(fc.uuid({ version: 4 }).filter((u) => u !== policyId), (id) => check(Assign(G(id), "POST", { projectIds: [free] }, 404))));
    await run(fc.asyncProperty(fc.oneof(junk, fc.array(nonString, { minLength: 1, maxLength: 3 })), pick(Assign, Unassign), (projectIds, make) =>
      check(make(G(), "POST", { projectIds }, 400))));
    await run(fc.asyncProperty(fc.tuple(pick("page", "pageSize"), binary(12)).filter(([f, v]) => !(/^[1-9]\d{0,8}$/.test(v) && Number(v) <= (f === "page" ? 1e8 : 100))),
      ([field, v]) => check(PolicyProjects(G(), "GET", undefined, 400, { query: { [field]: v } }))));
  });

  it("sent at least 800 requests and the database is unchanged", async () => {
    expect(sent).toBeGreaterThanOrEqual(800);
    expect(await rows()).toEqual(before);
  });
});
