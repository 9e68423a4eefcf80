// /v1/projects and /v1/projects/{projectId} (contract §6), called exactly as the official SDKs
// call them: Content-Type: application/json on every request (GET and DELETE too), bodies as the
// SDKs build them (the TS SDK's `description: undefined` is simply absent from the JSON).
import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import * as organizationRoute from "@/app/v1/organization/route";
import * as item from "@/app/v1/projects/[projectId]/route";
import * as collection from "@/app/v1/projects/route";
import { generateApiKey, hashApiKey, lastSix } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { PROJECT_ROLES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { call } from "../helpers/api";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const SDK = { "x-confident-sdk-version": "confidentai-ts/0.1.0" };
let org: TestOrg;

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
});

const p = () => getPrisma();
const path = (id?: string) => (id === undefined ? "/v1/projects" : `/v1/projects/${id}`);
// The SDKs' ProjectsClient.create / ProjectClient.get, request for request (update and delete:
// projects-update-delete.test.ts).
const create = (params: { name: unknown; description?: unknown; email?: unknown }, key = org.key) =>
  call(collection, "POST", { key, headers: SDK, path: path(), body: { name: params.name, description: params.description, email: params.email } });
const list = (key = org.key) => call(collection, "GET", { key, headers: SDK, path: path() });
const get = (id: string, key = org.key) => call(item, "GET", { key, headers: SDK, path: path(id), params: { projectId: id } });

/** An org key acting as `userId` (contract §5: a key acts as its creator). */
async function keyOf(userId: string, organizationId = org.id) {
  const raw = generateApiKey();
  await p().apiKey.create({ data: { organizationId, name: "k", keyHash: hashApiKey(raw), last6: lastSix(raw), createdByUserId: userId } });
  return raw;
}

async function newProject(name: string, email?: string) {
  const res = await create({ name, email });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.project as { id: string; name: string };
}

const join = (projectId: string, userId: string, roleId: string, organizationId = org.id) =>
  p().projectMembership.create({ data: { projectId, organizationId, userId, roleId } });

/** Every row that project writes can touch (lastUsedAt aside: authentication writes it). */
async function rows() {
  await settleBackgroundWrites();
  const tables = ["Project", "ProjectMembership", "ApiKey", "Role", "Policy", "Invitation", "EmailOutbox", "AuditEvent", "GovernancePolicy"];
  const sql = tables.map((t) => `SELECT '${t}' AS t, (to_jsonb(x) - 'lastUsedAt')::text AS r FROM "${t}" x`).join(" UNION ALL ");
  return (await p().$queryRawUnsafe<{ t: string; r: string }[]>(sql)).map((x) => `${x.t} ${x.r}`).sort();
}

describe("POST /v1/projects", () => {
  it("creates the project and its default key (full value only here), as the TS SDK sends it", async () => {
    const res = await create({ name: "  Checkout  " });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, deprecated: false });
    const { project, apiKey } = res.body.data;
    expect(project).toEqual({
      id: expect.any(String),
      name: "Checkout",
      description: null,
      organizationId: org.id,
      created_at: expect.stringMatching(TIMESTAMP),
      governancePolicy: null,
    });
    expect(apiKey).toEqual({
      id: expect.any(Number),
      name: "Default Key",
      valid: true,
      value: expect.stringMatching(/^confident_proj_[0-9a-f]{32,}$/),
      created_at: expect.stringMatching(TIMESTAMP),
      lastUsed: null,
      createdBy: null,
    });
    expect(Number.isInteger(apiKey.id)).toBe(true);

    const stored = await p().project.findUniqueOrThrow({ where: { id: project.id }, include: { apiKeys: true, memberships: true } });
    expect(stored).toMatchObject({ organizationId: org.id, name: "Checkout", description: null, governancePolicyId: null });
    expect(stored.createdAt.toISOString()).toBe(project.created_at);
    expect(stored.memberships).toEqual([]); // no email: no members
    expect(stored.apiKeys).toHaveLength(1);
    expect(stored.apiKeys[0]).toMatchObject({ id: apiKey.id, organizationId: org.id, last6: apiKey.value.slice(-6) });
    expect(stored.apiKeys[0]!.keyHash).toBe(createHash("sha256").update(apiKey.value).digest("hex"));
    const [dump] = await p().$queryRawUnsafe<{ text: string }[]>(
      `SELECT (SELECT string_agg(k::text, ' ') FROM "ApiKey" k) || (SELECT string_agg(a::text, ' ') FROM "AuditEvent" a) AS text`,
    );
    expect(dump!.text).not.toContain(apiKey.value.slice("confident_proj_".length));

    const events = await p().auditEvent.findMany({ where: { requestId: res.headers.get("x-request-id")! }, orderBy: { action: "asc" } });
    expect(events.map((e) => [e.action, e.targetType, e.targetId, e.projectId])).toEqual([
      ["project.apiKeys.create", "apiKey", String(apiKey.id), project.id],
      ["project.create", "project", project.id, project.id],
    ]);
    expect(events[0]).toMatchObject({ actorType: "apiKey", actorId: String(org.apiKeyId) });
  });

  it("the default key is a project key: management endpoints refuse it with 403", async () => {
    const { apiKey } = (await create({ name: "P" })).body.data;
    const res = await call(organizationRoute, "GET", { key: apiKey.value });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe("This endpoint needs an organization API key");
  });

  it("takes a description and makes the member named by email the project's Owner (Python SDK body)", async () => {
    const dev = await addMember(org.id, "dev@example.com");
    const res = await call(collection, "POST", {
      key: org.key,
      headers: { "x-confident-sdk-version": "confidentai-python/0.1.0" },
      body: { name: "Search", description: "  Ranking  ", email: "  DEV@Example.com " },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.project).toMatchObject({ name: "Search", description: "Ranking" });
    const members = await p().projectMembership.findMany({ where: { projectId: res.body.data.project.id } });
    expect(members).toEqual([expect.objectContaining({ userId: dev.id, organizationId: org.id, roleId: PROJECT_ROLES.Owner })]);
    const event = await p().auditEvent.findFirstOrThrow({ where: { action: "project.create" } });
    expect(event.metadata).toEqual({ name: "Search", ownerUserId: dev.id });
  });

  it("refuses an email that is no member of this organization with 422, creating nothing", async () => {
    const other = await createOrg({ name: "Globex" });
    const outsider = await addMember(other.id, "guest@globex.test");
    await p().user.create({ data: { email: "loner@example.com" } });
    const before = await rows();
    for (const email of [outsider.email, "loner@example.com", "nobody@example.com"]) {
      const res = await create({ name: "Nope", email });
      expect(res.status, email).toBe(422);
      expect(res.body).toMatchObject({ success: false, code: "unprocessable" });
      expect(res.body.error).toContain(email);
    }
    expect(await rows()).toEqual(before);
  });

  it("needs a name of 1-100 characters and a valid email, naming the field", async () => {
    const before = await rows();
    const cases: [unknown, unknown, string][] = [
      [undefined, undefined, "name"], ["   ", undefined, "name"], ["x".repeat(101), undefined, "name"], [42, undefined, "name"],
      ["Ok", "not-an-address", "email"], ["Ok", 7, "email"],
    ];
    for (const [name, email, field] of cases) {
      const res = await create({ name, email });
      expect(res.status, `${String(name)} ${String(email)}`).toBe(400);
      expect(res.body.error).toContain(field);
    }
    expect(await rows()).toEqual(before);
    expect((await create({ name: "x".repeat(100) })).status).toBe(200);
  });

  it("keeps names unique in the organization ignoring case (409); other organizations may reuse them", async () => {
    await newProject("Checkout");
    const before = await rows();
    for (const name of ["checkout", " CHECKOUT ", "Checkout"]) {
      const res = await create({ name });
      expect(res.status, name).toBe(409);
      expect(res.body.error).toContain('"Checkout"');
    }
    expect(await rows()).toEqual(before);
    const other = await createOrg({ name: "Globex" });
    expect((await create({ name: "Checkout" }, other.key)).status).toBe(200);
  });

  it("concurrent creates of one name: exactly one wins", async () => {
    const answers = await Promise.all(["Race", "race", "RACE", "Race"].map((name) => create({ name })));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    expect(await p().project.count()).toBe(1);
  });

  it("needs the org permission project:create: an org Member's key gets 403 and nothing is written", async () => {
    const member = await addMember(org.id, "m@example.com");
    const key = await keyOf(member.id);
    const before = await rows();
    const res = await create({ name: "Mine", email: member.email }, key);
    expect(res.status).toBe(403);
    expect(res.body.error).toContain("project:create");
    expect(await rows()).toEqual(before);
    // An Admin holds it; the key it makes acts as the Admin.
    const admin = await addMember(org.id, "a@example.com", SYSTEM_ROLES.Admin);
    const made = await create({ name: "Theirs" }, await keyOf(admin.id));
    expect(made.status).toBe(200);
    expect(made.body.data.apiKey.createdBy).toEqual({ id: admin.id, email: "a@example.com", name: null });
  });
});

describe("GET /v1/projects", () => {
  it("lists newest first, governancePolicy on every item; org project:manage holders see every project", async () => {
    const a = await newProject("A");
    const b = await newProject("B");
    const policy = await p().governancePolicy.create({ data: { organizationId: org.id, name: "Prod gate" } });
    await p().project.update({ where: { id: a.id }, data: { governancePolicyId: policy.id } });
    await newProject("Theirs");
    const other = await createOrg({ name: "Globex" });
    await create({ name: "Foreign" }, other.key);

    const res = await list();
    expect(res.status).toBe(200);
    expect(res.body.data.projects.map((x: { name: string }) => x.name)).toEqual(["Theirs", "B", "A"]);
    for (const project of res.body.data.projects) expect(project).toHaveProperty("governancePolicy");
    expect(res.body.data.projects[2].governancePolicy).toEqual({ id: policy.id, name: "Prod gate" });
    expect(res.body.data.projects[1]).toMatchObject({ id: b.id, governancePolicy: null, created_at: expect.stringMatching(TIMESTAMP) });

    const admin = await addMember(org.id, "admin@example.com", SYSTEM_ROLES.Admin);
    expect((await list(await keyOf(admin.id))).body.data.projects).toHaveLength(3);
  });

  it("shows anyone else only the projects their project role lets them read", async () => {
    const member = await addMember(org.id, "m@example.com");
    const key = await keyOf(member.id);
    const [mine, managed, bare] = [await newProject("Mine"), await newProject("Managed"), await newProject("Bare")];
    await newProject("Not mine");
    await join(mine.id, member.id, PROJECT_ROLES.Member);
    await join(managed.id, member.id, PROJECT_ROLES.Manager);
    const nothing = await p().role.create({ data: { scope: "PROJECT", projectId: bare.id, name: "Nothing" } });
    await join(bare.id, member.id, nothing.id);
    const res = await list(key);
    expect(res.status).toBe(200);
    expect(res.body.data.projects.map((x: { id: string }) => x.id)).toEqual([managed.id, mine.id]);
  });
});

describe("GET /v1/projects/{projectId}", () => {
  it("answers the project; unknown, another org's and not-a-member's are 404; a role without project:read is 403", async () => {
    const project = await newProject("Checkout");
    const res = await get(project.id);
    expect(res.status).toBe(200);
    expect(res.body.data.project).toEqual({ ...project, governancePolicy: null });

    const other = await createOrg({ name: "Globex" });
    const foreign = (await create({ name: "Foreign" }, other.key)).body.data.project;
    expect((await get(foreign.id)).status).toBe(404);
    expect((await get(project.id, other.key)).status).toBe(404);
    expect((await get("cl_nothing_here")).status).toBe(404);

    const member = await addMember(org.id, "m@example.com");
    const key = await keyOf(member.id);
    const outsider = await get(project.id, key);
    expect(outsider.status).toBe(404);
    expect(outsider.body.error).toBe(`Project ${project.id} not found`);
    const nothing = await p().role.create({ data: { scope: "PROJECT", projectId: project.id, name: "Nothing" } });
    await join(project.id, member.id, nothing.id);
    expect((await get(project.id, key)).status).toBe(403);
    await p().projectMembership.update({ where: { projectId_userId: { projectId: project.id, userId: member.id } }, data: { roleId: PROJECT_ROLES.Member } });
    expect((await get(project.id, key)).status).toBe(200);
  });
});
