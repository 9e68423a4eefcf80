// Paging and conditional GETs of the invitation lists (issue 15): `limit` + `cursor` keyset pages
// with `nextCursor`, on the organization and project lists; the full list, unchanged, for calls
// shaped as the official SDKs make them; an ETag on GET answers and 304 for If-None-Match.
import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import * as organization from "@/app/v1/organization/route";
import * as orgInvitations from "@/app/v1/organization/invitations/route";
import * as projectInvitations from "@/app/v1/projects/[projectId]/invitations/route";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { getPrisma } from "@/lib/db";
import { PROJECT_ROLES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { encodeInvitationCursor } from "@/lib/validation/invitations";
import { call } from "../helpers/api";
import { createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

let org: TestOrg;
const HOUR = 3_600_000;

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
});

/**
 * `count` open invitations written straight to the table, three to each createdAt (so the id
 * breaks ties), the newest `newestAt`; every 4th DECLINED. Returns their ids, newest first.
 */
async function seed(o: TestOrg, count: number, { projectId, tag = "p", newestAt = Date.now() - HOUR } = {} as {
  projectId?: string;
  tag?: string;
  newestAt?: number;
}) {
  await getPrisma().invitation.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      organizationId: o.id,
      projectId: projectId ?? null,
      email: `${tag}${i}@example.com`,
      roleId: projectId ? PROJECT_ROLES.Member : SYSTEM_ROLES.Member,
      status: i % 4 === 3 ? ("DECLINED" as const) : ("PENDING" as const),
      tokenHash: randomBytes(32).toString("hex"),
      expiresAt: new Date(Date.now() + 7 * 24 * HOUR),
      createdAt: new Date(newestAt - Math.floor((count - 1 - i) / 3) * 1000),
    })),
  });
  const rows = await getPrisma().invitation.findMany({
    where: { organizationId: o.id, projectId: projectId ?? null, email: { startsWith: tag } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

const list = (query?: Record<string, string>, key = org.key, headers?: Record<string, string>) =>
  call(orgInvitations, "GET", { key, query, headers, path: "/v1/organization/invitations" });
const listProject = (projectId: string, query?: Record<string, string>, key = org.key) =>
  call(projectInvitations, "GET", { key, params: { projectId }, query, path: `/v1/projects/${projectId}/invitations` });

type Lister = (query: Record<string, string>) => ReturnType<typeof list>;

/** Follows nextCursor from the first page to the last; every page is a 200 of at most `limit`. */
async function walk(lister: Lister, limit: number, extra: Record<string, string> = {}, between?: (page: number) => Promise<void>) {
  const ids: number[] = [];
  let cursor: string | null | undefined;
  for (let page = 0; page < 1000; page++) {
    const res = await lister({ ...extra, limit: String(limit), ...(cursor ? { cursor } : {}) });
    expect(res.status).toBe(200);
    expect(res.body.data.invitations.length).toBeLessThanOrEqual(limit);
    expect(res.body.data).toHaveProperty("nextCursor");
    ids.push(...res.body.data.invitations.map((i: { id: number }) => i.id));
    cursor = res.body.data.nextCursor;
    if (cursor === null) return { ids, pages: page + 1 };
    expect(res.body.data.invitations).toHaveLength(limit);
    await between?.(page);
  }
  throw new Error("the walk did not end");
}

async function newProject(o: TestOrg, name: string) {
  return (await getPrisma().project.create({ data: { organizationId: o.id, name } })).id;
}

describe("GET /v1/organization/invitations with limit and cursor", () => {
  it("walks every invitation exactly once, newest first, across pages (ties on createdAt broken by id)", async () => {
    const ids = await seed(org, 23);
    const full = await list();
    expect(full.body.data.invitations.map((i: { id: number }) => i.id)).toEqual(ids);

    const byFive = await walk(list, 5);
    expect(byFive.ids).toEqual(ids);
    expect(byFive.pages).toBe(5);
    // A limit that divides the list: the last full page still says whether more follow.
    const byOne = await walk(list, 1);
    expect(byOne.ids).toEqual(ids);
    expect((await walk(list, 23)).pages).toBe(1);
    expect((await list({ limit: "500" })).body.data).toEqual({ invitations: full.body.data.invitations, nextCursor: null });
  });

  it("is stable under concurrent inserts: no repeats and no skips of the invitations already there", async () => {
    const before = await seed(org, 20);
    const newest = await getPrisma().invitation.findFirstOrThrow({ where: { id: before[0] } });
    let added = 0;
    const { ids } = await walk(list, 4, {}, async (page) => {
      // New invitations between page fetches: some now, some at the very createdAt of the newest
      // one already read (a higher id sorts them before it).
      await seed(org, 3, { tag: `new${page}-`, newestAt: page % 2 ? Date.now() : newest.createdAt.getTime() });
      added += 3;
    });
    expect(ids).toEqual(before);
    expect(new Set(ids).size).toBe(ids.length);
    // The new ones are all there on a fresh walk, newest first.
    const again = await walk(list, 7);
    expect(again.ids).toHaveLength(20 + added);
    expect(again.ids.filter((id) => before.includes(id))).toEqual(before);
  });

  it("pages with the status and email filters", async () => {
    await seed(org, 16);
    const declined = (await list({ status: "DECLINED" })).body.data.invitations.map((i: { id: number }) => i.id);
    expect(declined).toHaveLength(4);
    expect((await walk(list, 3, { status: "DECLINED" })).ids).toEqual(declined);
    const ones = (await list({ email: "p1" })).body.data.invitations.map((i: { id: number }) => i.id);
    expect(ones).toHaveLength(7); // p1, p10..p15
    expect((await walk(list, 2, { email: "p1" })).ids).toEqual(ones);
  });

  it("answers the full list without limit, shaped exactly as Confident's (no nextCursor), as the SDKs call it", async () => {
    const ids = await seed(org, 130);
    // The SDKs send Content-Type: application/json and the key header, no query string.
    const res = await call(orgInvitations, "GET", { key: org.key, path: "/v1/organization/invitations" });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(["success", "data", "deprecated"]);
    expect(Object.keys(res.body.data)).toEqual(["invitations"]);
    expect(res.body.data.invitations.map((i: { id: number }) => i.id)).toEqual(ids);
    // A cursor alone pages by 100.
    const first = await list({ limit: "30" });
    const rest = await list({ cursor: first.body.data.nextCursor });
    expect(rest.body.data.invitations.map((i: { id: number }) => i.id)).toEqual(ids.slice(30, 130));
    expect(rest.body.data.nextCursor).toBeNull();
    const fromStart = await list({ cursor: encodeInvitationCursor({ createdAt: new Date(Date.now()).toISOString(), id: 2_147_483_647 }) });
    expect(fromStart.body.data.invitations.map((i: { id: number }) => i.id)).toEqual(ids.slice(0, 100));
    expect(fromStart.body.data.nextCursor).toEqual(expect.any(String));
  });

  it("refuses a limit outside 1-500 and a malformed cursor with 400 in the envelope", async () => {
    await seed(org, 3);
    for (const limit of ["0", "501", "-1", "1.5", "abc", "", "1e2", "99999"]) {
      const res = await list({ limit });
      expect([res.status, res.body], `limit=${limit}`).toEqual([
        400,
        { success: false, error: "limit must be a whole number between 1 and 500", code: "validation_failed", deprecated: false },
      ]);
    }
    for (const limit of ["1", "500"]) expect((await list({ limit })).status).toBe(200);
    const b64 = (text: string) => Buffer.from(text).toString("base64url");
    for (const cursor of [
      "",
      "not a cursor!",
      b64("hello"),
      b64("2024-12-04T23:00:00.000Z"),
      b64("2024-12-04T23:00:00.000Z_0"),
      b64("2024-13-04T23:00:00.000Z_5"),
      b64("2024-12-04T23:00:00Z_5"),
      b64("2024-12-04T23:00:00.000Z_2147483648"),
      b64("2024-12-04T23:00:00.000Z_5 "),
      "x".repeat(300),
    ]) {
      const res = await list({ limit: "2", cursor });
      expect([res.status, res.body], `cursor=${cursor}`).toEqual([
        400,
        {
          success: false,
          error: "cursor is not valid: pass the nextCursor of a previous answer unchanged",
          code: "validation_failed",
          deprecated: false,
        },
      ]);
    }
    expect((await list({ limit: "2", cursor: b64("2024-12-04T23:00:00.000Z_5") })).status).toBe(200);
  });

  it("a cursor from another organization or project shows nothing of theirs", async () => {
    const ours = await seed(org, 9);
    const other = await createOrg({ name: "Other" });
    const theirs = await seed(other, 9, { tag: "t", newestAt: Date.now() - HOUR / 2 });
    const theirCursor = (await list({ limit: "4" }, other.key)).body.data.nextCursor as string;
    const res = await list({ limit: "50", cursor: theirCursor });
    expect(res.status).toBe(200);
    const listed = res.body.data.invitations.map((i: { id: number }) => i.id);
    // Only our own, and only those older than the position it names (all of ours are older).
    expect(listed).toEqual(ours);
    expect(listed.some((id: number) => theirs.includes(id))).toBe(false);

    const a = await newProject(org, "A");
    const b = await newProject(org, "B");
    const inA = await seed(org, 6, { projectId: a, tag: "a", newestAt: Date.now() - 2 * HOUR });
    const inB = await seed(org, 6, { projectId: b, tag: "b", newestAt: Date.now() - HOUR / 4 });
    const bCursor = (await listProject(b, { limit: "2" })).body.data.nextCursor as string;
    const inAAfterB = (await listProject(a, { limit: "50", cursor: bCursor })).body.data.invitations.map((i: { id: number }) => i.id);
    expect(inAAfterB).toEqual(inA);
    // An org-list cursor on a project list and back: still only that list's rows.
    const orgAfter = (await list({ limit: "50", cursor: bCursor })).body.data.invitations.map((i: { id: number }) => i.id);
    expect(orgAfter).toEqual(ours);
    expect(orgAfter.some((id: number) => inB.includes(id) || inA.includes(id))).toBe(false);
  });
});

describe("GET /v1/projects/{projectId}/invitations with limit and cursor", () => {
  it("pages the project's list with the same rules, and answers the full list without limit", async () => {
    const projectId = await newProject(org, "Forecasting");
    await seed(org, 5, { tag: "org" });
    const ids = await seed(org, 11, { projectId, tag: "proj" });
    const full = await listProject(projectId);
    expect(Object.keys(full.body.data)).toEqual(["invitations"]);
    expect(full.body.data.invitations.map((i: { id: number }) => i.id)).toEqual(ids);
    expect(full.body.data.invitations[0]).toHaveProperty("projectRoleId", PROJECT_ROLES.Member);
    expect((await walk((q) => listProject(projectId, q), 4)).ids).toEqual(ids);
    const bad = await listProject(projectId, { limit: "501" });
    expect([bad.status, bad.body.code]).toEqual([400, "validation_failed"]);
    const badCursor = await listProject(projectId, { cursor: "nope!" });
    expect([badCursor.status, badCursor.body.error]).toEqual([400, "cursor is not valid: pass the nextCursor of a previous answer unchanged"]);
  });
});

describe("ETag and If-None-Match on GET answers", () => {
  it("answers 304 with no body for a matching ETag, keeping the request id and rate-limit headers; a changed list is a 200 with a new ETag", async () => {
    await seed(org, 3);
    const first = await list();
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    // The same list, the same tag.
    expect((await list()).headers.get("etag")).toBe(etag);

    const cached = await list(undefined, org.key, { "if-none-match": etag!, "x-request-id": "req-conditional-1" });
    expect(cached.status).toBe(304);
    expect(cached.body).toBeNull();
    expect(cached.headers.get("etag")).toBe(etag);
    expect(cached.headers.get("x-request-id")).toBe("req-conditional-1");
    expect(cached.headers.get("ratelimit-limit")).toEqual(expect.any(String));
    expect(cached.headers.get("ratelimit-remaining")).toEqual(expect.any(String));
    // Weak comparison, and a list of tags.
    expect((await list(undefined, org.key, { "if-none-match": etag!.slice(2) })).status).toBe(304);
    expect((await list(undefined, org.key, { "if-none-match": `W/"other", ${etag}` })).status).toBe(304);
    expect((await list(undefined, org.key, { "if-none-match": `W/"other"` })).status).toBe(200);

    await seed(org, 1, { tag: "later", newestAt: Date.now() });
    const changed = await list(undefined, org.key, { "if-none-match": etag! });
    expect(changed.status).toBe(200);
    expect(changed.body.data.invitations).toHaveLength(4);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect(changed.headers.get("etag")).toMatch(/^W\/"/);

    // Each page has its own tag.
    const page = await list({ limit: "2" });
    expect(page.headers.get("etag")).not.toBe(changed.headers.get("etag"));
    expect((await list({ limit: "2" }, org.key, { "if-none-match": page.headers.get("etag")! })).status).toBe(304);
  });

  it("is on every GET of the /v1 wrapper, and a 304 never skips authentication", async () => {
    const res = await call(organization, "GET", { key: org.key, path: "/v1/organization" });
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^W\//);
    expect((await call(organization, "GET", { key: org.key, headers: { "if-none-match": etag } })).status).toBe(304);
    const anonymous = await call(organization, "GET", { key: null, headers: { "if-none-match": etag } });
    expect([anonymous.status, anonymous.body.code]).toEqual([401, "unauthorized"]);
    expect(anonymous.headers.get("etag")).toBeNull();
    // A write is never conditional.
    const put = await call(organization, "PUT", { key: org.key, body: { name: "Acme" }, headers: { "if-none-match": "*" } });
    expect([put.status, put.headers.get("etag")]).toEqual([200, null]);
  });
});

describe("the OpenAPI document", () => {
  it("describes limit, cursor and nextCursor on both invitation lists", () => {
    const doc = buildOpenApiDocument() as any;
    for (const path of ["/v1/organization/invitations", "/v1/projects/{projectId}/invitations"]) {
      const get = doc.paths[path].get;
      expect(get.parameters).toContainEqual(
        expect.objectContaining({ name: "limit", in: "query", required: false, schema: expect.objectContaining({ type: "string" }) }),
      );
      expect(get.parameters).toContainEqual(expect.objectContaining({ name: "cursor", in: "query", required: false }));
      expect(get.summary).toMatch(/limit \(1-500\).*nextCursor/);
      const data = get.responses["200"].content["application/json"].schema.properties.data;
      expect(data.properties.nextCursor).toBeDefined();
      expect(data.required).toEqual(["invitations"]);
    }
  });
});
