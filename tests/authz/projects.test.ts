// Refusals of every permission check on projects and project API keys (contract §6), through the
// real routes and key authentication: each actor lacks exactly what the call needs, is refused
// with the contract's status, and nothing is written; the actor next door who holds it is let
// through, so a removed check fails here (npm run check:authz).
//
// Acme has one project, Checkout. People (all org members; keys act as their creator):
//   orgMember  org Member role, not in the project: lacks org project:create and project:manage
//   viewer     project role Viewer = {project:read, apiKey:read}
//   nothing    project role Nothing = {}
//   member     system project role Member (everything but project:delete and a few IAM ones)
//   manager    system project role Manager (everything)
import { beforeEach, describe, expect, it } from "vitest";
import * as keyItem from "@/app/v1/projects/[projectId]/api-keys/[apiKeyId]/route";
import * as keys from "@/app/v1/projects/[projectId]/api-keys/route";
import * as projectItem from "@/app/v1/projects/[projectId]/route";
import * as projects from "@/app/v1/projects/route";
import { generateApiKey, hashApiKey, lastSix } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { PROJECT_ROLES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { call, type ApiResult } from "../helpers/api";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

type Who = "orgMember" | "viewer" | "nothing" | "member" | "manager" | "admin";
let org: TestOrg;
let projectId: string;
let keyId: number;
let key: Record<Who, string>;

const p = () => getPrisma();

async function rows() {
  await settleBackgroundWrites();
  const tables = ["Project", "ProjectMembership", "ApiKey", "Role", "Policy", "Invitation", "AuditEvent", "Membership"];
  const sql = tables.map((t) => `SELECT '${t}' AS t, (to_jsonb(x) - 'lastUsedAt')::text AS r FROM "${t}" x`).join(" UNION ALL ");
  return (await p().$queryRawUnsafe<{ t: string; r: string }[]>(sql)).map((x) => `${x.t} ${x.r}`).sort();
}

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
  const created = await call(projects, "POST", { key: org.key, body: { name: "Checkout" } });
  projectId = created.body.data.project.id;
  keyId = created.body.data.apiKey.id;
  const grants = await p().permission.findMany({ where: { scope: "PROJECT", name: { in: ["project:read", "apiKey:read"] } } });
  const policy = await p().policy.create({
    data: { scope: "PROJECT", projectId, name: "Read", permissions: { create: grants.map((g) => ({ permissionId: g.id })) } },
  });
  const viewer = await p().role.create({ data: { scope: "PROJECT", projectId, name: "Viewer", policies: { create: [{ policyId: policy.id }] } } });
  const nothing = await p().role.create({ data: { scope: "PROJECT", projectId, name: "Nothing" } });
  const roles: Record<Who, string | null> = {
    orgMember: null, viewer: viewer.id, nothing: nothing.id, member: PROJECT_ROLES.Member, manager: PROJECT_ROLES.Manager, admin: null,
  };
  key = {} as Record<Who, string>;
  for (const who of Object.keys(roles) as Who[]) {
    const user = await addMember(org.id, `${who}@acme.test`, who === "admin" ? SYSTEM_ROLES.Admin : SYSTEM_ROLES.Member);
    if (roles[who]) await p().projectMembership.create({ data: { projectId, organizationId: org.id, userId: user.id, roleId: roles[who]! } });
    const raw = generateApiKey();
    await p().apiKey.create({ data: { organizationId: org.id, name: who, keyHash: hashApiKey(raw), last6: lastSix(raw), createdByUserId: user.id } });
    key[who] = raw;
  }
});

const here = () => ({ projectId });
const theKey = () => ({ projectId, apiKeyId: String(keyId) });
const calls = {
  createProject: (who: Who) => call(projects, "POST", { key: key[who], body: { name: `By ${who}` } }),
  getProject: (who: Who) => call(projectItem, "GET", { key: key[who], params: here() }),
  updateProject: (who: Who) => call(projectItem, "PUT", { key: key[who], params: here(), body: { name: `Renamed by ${who}` } }),
  deleteProject: (who: Who) => call(projectItem, "DELETE", { key: key[who], params: here() }),
  listKeys: (who: Who) => call(keys, "GET", { key: key[who], params: here() }),
  getKey: (who: Who) => call(keyItem, "GET", { key: key[who], params: theKey() }),
  createKey: (who: Who) => call(keys, "POST", { key: key[who], params: here(), body: { name: `By ${who}` } }),
  updateKey: (who: Who) => call(keyItem, "PUT", { key: key[who], params: theKey(), body: { valid: false } }),
  deleteKey: (who: Who) => call(keyItem, "DELETE", { key: key[who], params: theKey() }),
};

/** `refused` gets `status` naming `permission` and writes nothing; `allowed` then succeeds. */
async function expectGate(run: (who: Who) => Promise<ApiResult>, refused: Who, permission: string, allowed: Who, status = 403) {
  const before = await rows();
  const res = await run(refused);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toMatchObject({ success: false, code: "forbidden" });
  expect(res.body.error).toContain(permission);
  expect(await rows(), "a refused call writes nothing").toEqual(before);
  const ok = await run(allowed);
  expect(ok.status, JSON.stringify(ok.body)).toBe(200);
}

describe("projects: each permission check refuses the actor lacking it", () => {
  it("POST /v1/projects needs the org permission project:create (org Member: 403; Admin: ok)", () =>
    expectGate(calls.createProject, "orgMember", "project:create", "admin"));
  it("GET /v1/projects/{id} needs project:read (role Nothing: 403; Viewer: ok)", () =>
    expectGate(calls.getProject, "nothing", "project:read", "viewer"));
  it("PUT /v1/projects/{id} needs project:manage (Viewer: 403; project Member: ok)", () =>
    expectGate(calls.updateProject, "viewer", "project:manage", "member"));
  it("DELETE /v1/projects/{id} needs project:delete (project Member: 403; Manager: ok)", () =>
    expectGate(calls.deleteProject, "member", "project:delete", "manager"));
});

describe("project API keys: each permission check refuses the actor lacking it", () => {
  it("GET …/api-keys needs apiKey:read (Nothing: 403; Viewer: ok)", () => expectGate(calls.listKeys, "nothing", "apiKey:read", "viewer"));
  it("GET …/api-keys/{id} needs apiKey:read (Nothing: 403; Viewer: ok)", () => expectGate(calls.getKey, "nothing", "apiKey:read", "viewer"));
  it("POST …/api-keys needs apiKey:manage (Viewer: 403; Member: ok)", () => expectGate(calls.createKey, "viewer", "apiKey:manage", "member"));
  it("PUT …/api-keys/{id} needs apiKey:manage (Viewer: 403; Member: ok)", () => expectGate(calls.updateKey, "viewer", "apiKey:manage", "member"));
  it("DELETE …/api-keys/{id} needs apiKey:manage (Viewer: 403; Member: ok)", () => expectGate(calls.deleteKey, "viewer", "apiKey:manage", "member"));
});

describe("projects the actor is not in are not found (404), never forbidden", () => {
  it("an org Member outside the project gets 404 on every project route and writes nothing", async () => {
    const before = await rows();
    const answers = await Promise.all(
      (["getProject", "updateProject", "deleteProject", "listKeys", "getKey", "createKey", "updateKey", "deleteKey"] as const).map((c) => calls[c]("orgMember")),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(404));
    expect(await rows()).toEqual(before);
    // An org Admin (project:manage) acts as the project's Owner without being a member.
    expect((await calls.deleteProject("admin")).status).toBe(200);
  });
});
