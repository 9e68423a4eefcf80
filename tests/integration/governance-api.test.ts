// /v1/organization/governance-policies (contract §7), as the SDKs' OrganizationGovernancePolicies
// calls it: list, listProjects(page, pageSize), assign and unassign with their partial-success
// answers; and our create, replace and delete.
import { beforeEach, describe, expect, it } from "vitest";
import * as assignRoute from "@/app/v1/organization/governance-policies/[policyId]/assign/route";
import * as projectsRoute from "@/app/v1/organization/governance-policies/[policyId]/projects/route";
import * as policyItem from "@/app/v1/organization/governance-policies/[policyId]/route";
import * as unassignRoute from "@/app/v1/organization/governance-policies/[policyId]/unassign/route";
import * as policies from "@/app/v1/organization/governance-policies/route";
import * as projectItem from "@/app/v1/projects/[projectId]/route";
import * as projects from "@/app/v1/projects/route";
import { getPrisma } from "@/lib/db";
import { settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { call } from "../helpers/api";
import { createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

const SDK = { "x-confident-sdk-version": "confidentai-ts/0.1.0" };
const BASE = "/v1/organization/governance-policies";
const UNKNOWN = "5f0c6d3e-8d4b-4c1a-9a51-2f1f7d9e0b11";
let org: TestOrg;
let other: TestOrg;
let gate: { id: string; name: string };
let soak: { id: string; name: string };
let ids: Record<"a" | "b" | "c" | "d" | "foreign", string>;

const p = () => getPrisma();
const on = (policyId: string, suffix = "") => ({ headers: SDK, path: `${BASE}/${policyId}${suffix}`, params: { policyId } });
const list = (key = org.key) => call(policies, "GET", { key, headers: SDK, path: BASE });
const createPolicy = (body: unknown, key = org.key) => call(policies, "POST", { key, headers: SDK, path: BASE, body });
const replace = (policyId: string, body: unknown, key = org.key) => call(policyItem, "PUT", { key, ...on(policyId), body });
const drop = (policyId: string, key = org.key) => call(policyItem, "DELETE", { key, ...on(policyId) });
// The SDK drops undefined paging params before sending.
const listProjects = (policyId: string, params: { page?: number; pageSize?: number } = {}, key = org.key) =>
  call(projectsRoute, "GET", {
    key, ...on(policyId, "/projects"),
    query: Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])),
  });
const assign = (policyId: string, projectIds: unknown, key = org.key) => call(assignRoute, "POST", { key, ...on(policyId, "/assign"), body: { projectIds } });
const unassign = (policyId: string, projectIds: unknown, key = org.key) => call(unassignRoute, "POST", { key, ...on(policyId, "/unassign"), body: { projectIds } });
const enrolledIn = async (id: string) => (await p().project.findUniqueOrThrow({ where: { id } })).governancePolicyId;

async function project(name: string, owner = org) {
  const res = await call(projects, "POST", { key: owner.key, body: { name } });
  return res.body.data.project.id as string;
}

async function rows() {
  await settleBackgroundWrites();
  const tables = ["Project", "GovernancePolicy", "GovernanceControl", "AuditEvent"];
  const sql = tables.map((t) => `SELECT '${t}' AS t, to_jsonb(x)::text AS r FROM "${t}" x`).join(" UNION ALL ");
  return (await p().$queryRawUnsafe<{ t: string; r: string }[]>(sql)).map((x) => `${x.t} ${x.r}`).sort();
}

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
  other = await createOrg({ name: "Globex" });
  ids = { a: await project("A"), b: await project("B"), c: await project("C"), d: await project("D"), foreign: await project("F", other) };
  const controls = [{ name: "Trace every call", type: "RUNTIME" }, { name: "Eval suite passes", type: "PRE_DEPLOYMENT_EVALS" }];
  gate = (await createPolicy({ name: "Production gate", description: "Before prod", controls })).body.data.governancePolicy;
  soak = (await createPolicy({ name: "Soak", controls: [] })).body.data.governancePolicy;
});

describe("governance policies", () => {
  it("POST creates a policy with its controls in order; GET lists them with projectsCount", async () => {
    expect(gate).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "Production gate",
      description: "Before prod",
      projectsCount: 0,
      controls: [
        { id: expect.any(String), name: "Trace every call", type: "RUNTIME" },
        { id: expect.any(String), name: "Eval suite passes", type: "PRE_DEPLOYMENT_EVALS" },
      ],
    });
    await assign(gate.id, [ids.a, ids.b]);
    const res = await list();
    expect(res.status).toBe(200);
    expect(res.body.data.governancePolicies).toEqual([
      { ...gate, projectsCount: 2 },
      { id: soak.id, name: "Soak", description: null, projectsCount: 0, controls: [] },
    ]);
    expect((await list(other.key)).body.data.governancePolicies).toEqual([]);
    expect(await p().auditEvent.count({ where: { action: "org.governance.create" } })).toBe(2);
    expect((await createPolicy({ name: "production GATE", controls: [] })).status).toBe(409);
  });

  it("assign: unknown and foreign ids reported, moves between policies, duplicates collapse, request order kept", async () => {
    await assign(soak.id, [ids.c]);
    await assign(gate.id, [ids.d]);
    const res = await assign(gate.id, [ids.b, "nope", ids.foreign, ids.a, ids.b, ids.c, "nope", ids.d]);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      governancePolicy: { id: gate.id, name: "Production gate" },
      assignedProjectIds: [ids.b, ids.a, ids.c, ids.d],
      notFoundProjectIds: ["nope", ids.foreign],
      count: 4,
    });
    expect(await Promise.all([ids.a, ids.b, ids.c, ids.d].map(enrolledIn))).toEqual(Array(4).fill(gate.id));
    expect(await enrolledIn(ids.foreign)).toBeNull();
    expect((await list()).body.data.governancePolicies.map((g: { projectsCount: number }) => g.projectsCount)).toEqual([4, 0]);
    // One event per project whose enrollment changed (d was already on the gate), naming it.
    const events = await p().auditEvent.findMany({ where: { action: "org.governance.assign", requestId: res.headers.get("x-request-id")! } });
    expect(events.map((e) => e.projectId).sort()).toEqual([ids.a, ids.b, ids.c].sort());
    expect(events.find((e) => e.projectId === ids.c)!.metadata).toEqual({ governancePolicy: { id: gate.id, name: "Production gate" }, previousPolicyId: soak.id });
    // The project DTO names its policy.
    const got = await call(projectItem, "GET", { key: org.key, params: { projectId: ids.c } });
    expect(got.body.data.project.governancePolicy).toEqual({ id: gate.id, name: "Production gate" });
  });

  it("assign with nothing found is a 200 with count 0 and changes nothing", async () => {
    const before = await rows();
    const res = await assign(gate.id, [ids.foreign, "x", "x"]);
    expect(res.body.data).toMatchObject({ assignedProjectIds: [], notFoundProjectIds: [ids.foreign, "x"], count: 0 });
    expect(await rows()).toEqual(before);
  });

  it("unassign: only ids on this policy; unknown, foreign, other-policy and unenrolled ones skipped, in order", async () => {
    await assign(gate.id, [ids.a, ids.b]);
    await assign(soak.id, [ids.c]);
    const res = await unassign(gate.id, [ids.c, ids.b, "ghost", ids.b, ids.d, ids.foreign, ids.a]);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      governancePolicy: { id: gate.id, name: "Production gate" },
      unassignedProjectIds: [ids.b, ids.a],
      skippedProjectIds: [ids.c, "ghost", ids.d, ids.foreign],
      count: 2,
    });
    expect(await Promise.all([ids.a, ids.b, ids.c, ids.d].map(enrolledIn))).toEqual([null, null, soak.id, null]);
    expect(await p().auditEvent.count({ where: { action: "org.governance.unassign" } })).toBe(2);
  });

  it("GET {policyId}/projects pages newest first with the total; bad paging is 400", async () => {
    await assign(gate.id, [ids.a, ids.b, ids.c]);
    const all = await listProjects(gate.id);
    expect(all.status).toBe(200);
    expect(all.body.data).toEqual({ projects: [{ id: ids.c, name: "C" }, { id: ids.b, name: "B" }, { id: ids.a, name: "A" }], total: 3 });
    expect((await listProjects(gate.id, { page: 2, pageSize: 2 })).body.data).toEqual({ projects: [{ id: ids.a, name: "A" }], total: 3 });
    expect((await listProjects(gate.id, { page: 3, pageSize: 2 })).body.data).toEqual({ projects: [], total: 3 });
    expect((await listProjects(soak.id)).body.data).toEqual({ projects: [], total: 0 });
    for (const [page, pageSize] of [[0, 25], [1, 0], [1, 101], [-1, 5]]) {
      expect((await listProjects(gate.id, { page, pageSize })).status, `${page} ${pageSize}`).toBe(400);
    }
  });

  it("PUT replaces name, description and every control; DELETE unenrolls its projects", async () => {
    await assign(gate.id, [ids.a]);
    const res = await replace(gate.id, { name: "Gate v2", controls: [{ name: "Red team", type: "PRE_DEPLOYMENT_RED_TEAMING" }] });
    expect(res.status).toBe(200);
    expect(res.body.data.governancePolicy).toEqual({
      id: gate.id, name: "Gate v2", description: null, projectsCount: 1,
      controls: [{ id: expect.any(String), name: "Red team", type: "PRE_DEPLOYMENT_RED_TEAMING" }],
    });
    expect(await p().governanceControl.count({ where: { policyId: gate.id } })).toBe(1);
    expect((await replace(gate.id, { name: "soak", controls: [] })).status).toBe(409);
    expect((await replace(gate.id, { name: "GATE V2", controls: [] })).status).toBe(200);

    const deleted = await drop(gate.id);
    expect(deleted.body).toEqual({ success: true, data: { id: gate.id, deleted: true }, deprecated: false });
    expect(await enrolledIn(ids.a)).toBeNull();
    expect(await p().governanceControl.count({ where: { policyId: gate.id } })).toBe(0);
    const event = await p().auditEvent.findFirstOrThrow({ where: { action: "org.governance.delete" } });
    expect(event.metadata).toEqual({ name: "GATE V2", unenrolledProjectIds: [ids.a] });
    expect(await p().auditEvent.count({ where: { action: "org.governance.update" } })).toBe(2);
  });

  it("an unknown policy id, or another organization's, is 404 on every route and changes nothing", async () => {
    const theirs = (await createPolicy({ name: "Theirs", controls: [] }, other.key)).body.data.governancePolicy.id;
    const before = await rows();
    for (const id of [UNKNOWN, theirs, UNKNOWN.toUpperCase()]) {
      const answers = [
        await listProjects(id), await assign(id, [ids.a]), await unassign(id, [ids.a]),
        await replace(id, { name: "X", controls: [] }), await drop(id),
      ];
      expect(answers.map((a) => a.status), id).toEqual([404, 404, 404, 404, 404]);
      expect(answers[0]!.body.error).toBe(`Governance policy ${id} not found`);
    }
    expect((await assign(theirs, [ids.foreign], other.key)).body.data.count).toBe(1);
    expect(await enrolledIn(ids.a)).toBeNull();
    expect((await rows()).filter((r) => r.startsWith("Project ") && r.includes(org.id))).toEqual(
      before.filter((r) => r.startsWith("Project ") && r.includes(org.id)),
    );
  });

  it("projectIds must be a non-empty list of strings; nothing is written otherwise", async () => {
    const before = await rows();
    for (const projectIds of [[], undefined, null, "abc", [1], [""], [null], ["x".repeat(101)]]) {
      for (const res of [await assign(gate.id, projectIds), await unassign(gate.id, projectIds)]) {
        expect(res.status, JSON.stringify(projectIds)).toBe(400);
        expect(res.body.error).toContain("projectIds");
      }
    }
    expect(await rows()).toEqual(before);
  });
});
