// Refusals of every permission check on governance policies (contract §7): reads need the org
// permission project:read, writes project:manage. Each actor lacking one is refused with 403 and
// nothing is written; the actor holding it is let through, so a removed check fails here.
//
//   bare       a custom org role with no permissions: lacks project:read
//   orgMember  the org Member role: holds project:read, lacks project:manage
//   admin      the org Admin role: holds both
import { beforeEach, describe, expect, it } from "vitest";
import * as assignRoute from "@/app/v1/organization/governance-policies/[policyId]/assign/route";
import * as projectsRoute from "@/app/v1/organization/governance-policies/[policyId]/projects/route";
import * as policyItem from "@/app/v1/organization/governance-policies/[policyId]/route";
import * as unassignRoute from "@/app/v1/organization/governance-policies/[policyId]/unassign/route";
import * as policies from "@/app/v1/organization/governance-policies/route";
import { generateApiKey, hashApiKey, lastSix } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { call, type ApiResult } from "../helpers/api";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

type Who = "bare" | "orgMember" | "admin";
let org: TestOrg;
let policyId: string;
let enrolled: string;
let free: string;
let key: Record<Who, string>;

const p = () => getPrisma();

async function rows() {
  await settleBackgroundWrites();
  const tables = ["Project", "GovernancePolicy", "GovernanceControl", "AuditEvent"];
  const sql = tables.map((t) => `SELECT '${t}' AS t, to_jsonb(x)::text AS r FROM "${t}" x`).join(" UNION ALL ");
  return (await p().$queryRawUnsafe<{ t: string; r: string }[]>(sql)).map((x) => `${x.t} ${x.r}`).sort();
}

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
  const policy = await p().governancePolicy.create({
    data: { organizationId: org.id, name: "Gate", controls: { create: [{ name: "Trace", type: "RUNTIME", position: 0 }] } },
  });
  policyId = policy.id;
  enrolled = (await p().project.create({ data: { organizationId: org.id, name: "On", governancePolicyId: policyId } })).id;
  free = (await p().project.create({ data: { organizationId: org.id, name: "Off" } })).id;
  const bareRole = await p().role.create({ data: { organizationId: org.id, name: "Bare" } });
  const roles: Record<Who, string> = { bare: bareRole.id, orgMember: SYSTEM_ROLES.Member, admin: SYSTEM_ROLES.Admin };
  key = {} as Record<Who, string>;
  for (const who of Object.keys(roles) as Who[]) {
    const user = await addMember(org.id, `${who}@acme.test`, roles[who]);
    const raw = generateApiKey();
    await p().apiKey.create({ data: { organizationId: org.id, name: who, keyHash: hashApiKey(raw), last6: lastSix(raw), createdByUserId: user.id } });
    key[who] = raw;
  }
});

const on = () => ({ policyId });
const body = { name: "Gate v2", controls: [{ name: "Evals", type: "PRE_DEPLOYMENT_EVALS" }] };
const calls = {
  list: (who: Who) => call(policies, "GET", { key: key[who] }),
  listProjects: (who: Who) => call(projectsRoute, "GET", { key: key[who], params: on() }),
  create: (who: Who) => call(policies, "POST", { key: key[who], body: { ...body, name: `By ${who}` } }),
  update: (who: Who) => call(policyItem, "PUT", { key: key[who], params: on(), body }),
  remove: (who: Who) => call(policyItem, "DELETE", { key: key[who], params: on() }),
  assign: (who: Who) => call(assignRoute, "POST", { key: key[who], params: on(), body: { projectIds: [free] } }),
  unassign: (who: Who) => call(unassignRoute, "POST", { key: key[who], params: on(), body: { projectIds: [enrolled] } }),
};

async function expectGate(run: (who: Who) => Promise<ApiResult>, refused: Who, permission: string, allowed: Who) {
  const before = await rows();
  const res = await run(refused);
  expect(res.status, JSON.stringify(res.body)).toBe(403);
  expect(res.body).toMatchObject({ success: false, code: "forbidden" });
  expect(res.body.error).toContain(permission);
  expect(await rows(), "a refused call writes nothing").toEqual(before);
  const ok = await run(allowed);
  expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  return ok;
}

describe("governance policies: each permission check refuses the actor lacking it", () => {
  it("GET list needs project:read (Bare: 403; org Member: ok)", async () => {
    const ok = await expectGate(calls.list, "bare", "project:read", "orgMember");
    expect(ok.body.data.governancePolicies).toHaveLength(1);
  });
  it("GET {policyId}/projects needs project:read (Bare: 403; org Member: ok)", async () => {
    const ok = await expectGate(calls.listProjects, "bare", "project:read", "orgMember");
    expect(ok.body.data).toEqual({ projects: [{ id: enrolled, name: "On" }], total: 1 });
  });
  it("POST needs project:manage (org Member: 403; Admin: ok)", () => expectGate(calls.create, "orgMember", "project:manage", "admin"));
  it("PUT needs project:manage (org Member: 403; Admin: ok)", () => expectGate(calls.update, "orgMember", "project:manage", "admin"));
  it("DELETE needs project:manage (org Member: 403; Admin: ok)", () => expectGate(calls.remove, "orgMember", "project:manage", "admin"));
  it("assign needs project:manage (org Member: 403; Admin: ok)", async () => {
    const ok = await expectGate(calls.assign, "orgMember", "project:manage", "admin");
    expect(ok.body.data.assignedProjectIds).toEqual([free]);
  });
  it("unassign needs project:manage (org Member: 403; Admin: ok)", async () => {
    const ok = await expectGate(calls.unassign, "orgMember", "project:manage", "admin");
    expect(ok.body.data.unassignedProjectIds).toEqual([enrolled]);
  });
  it("the read-only actor cannot write either", async () => {
    const before = await rows();
    const answers = await Promise.all((["create", "update", "remove", "assign", "unassign"] as const).map((c) => calls[c]("bare")));
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403, 403]);
    expect(await rows()).toEqual(before);
  });
});
