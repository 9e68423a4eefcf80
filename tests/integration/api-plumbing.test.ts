// The route wrapper's cross-cutting behaviour: key auth, rate limit, request ids, error
// envelopes for unexpected and database failures, and lastUsed bookkeeping.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as organization from "@/app/v1/organization/route";
import * as apiKeys from "@/app/v1/organization/api-keys/route";
import * as unknownRoute from "@/app/v1/[[...path]]/route";
import { endpoints } from "@/lib/api/endpoints";
import { apiRoute } from "@/lib/api/route";
import { getPrisma, setDatabase } from "@/lib/db";
import { openPostgres } from "@/lib/db/open";
import { hashApiKey } from "@/lib/auth/api-keys";
import { reloadEnv } from "@/lib/env";
import { settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { flushRequestCounts } from "@/lib/services/request-counter";
import { call } from "../helpers/api";
import { countStatements, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

let org: TestOrg;
beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
});
afterEach(() => {
  vi.unstubAllEnvs();
  reloadEnv();
  vi.restoreAllMocks();
});

const getOrg = (options: Parameters<typeof call>[2] = {}) => call(organization, "GET", { key: org.key, ...options });

describe("authentication", () => {
  it("accepts the CONFIDENT_API_KEY header and Authorization: Bearer", async () => {
    expect((await getOrg()).body.data.organization).toMatchObject({ id: org.id, name: "Acme", plan: "TEAM" });
    const bearer = await getOrg({ key: null, headers: { authorization: `Bearer ${org.key}` } });
    expect(bearer.status).toBe(200);
  });

  it("answers one uniform 401 for a missing, unknown or deactivated key", async () => {
    const missing = await getOrg({ key: null });
    const unknown = await getOrg({ key: "confident_org_" + "0".repeat(48) });
    await getPrisma().apiKey.update({ where: { id: org.apiKeyId }, data: { valid: false } });
    const deactivated = await getOrg();
    for (const res of [missing, unknown, deactivated]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ success: false, error: "Missing or invalid API key", code: "unauthorized", deprecated: false });
    }
  });
});

describe("request ids", () => {
  it("puts x-request-id on successes and errors, reusing a sane incoming one", async () => {
    const ok = await getOrg();
    expect(ok.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const traced = await getOrg({ headers: { "x-request-id": "trace-abc-12345" } });
    expect(traced.headers.get("x-request-id")).toBe("trace-abc-12345");
    const hostile = await getOrg({ headers: { "x-request-id": "<script>" } });
    expect(hostile.headers.get("x-request-id")).not.toBe("<script>");
    expect((await getOrg({ key: null })).headers.get("x-request-id")).toBeTruthy();
  });

  it("answers unknown /v1 paths with 404 and wrong methods with 405, in the envelope", async () => {
    const unknown = await call(unknownRoute, "GET", { path: "/v1/nope" });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ success: false, code: "not_found", deprecated: false });
    const wrong = await call(organization, "DELETE", { key: org.key });
    expect(wrong.status).toBe(405);
    expect(wrong.body).toMatchObject({ success: false, code: "method_not_allowed" });
    expect(wrong.headers.get("allow")).toBe("GET, PUT");
  });
});

describe("answers and their declared schemas", () => {
  it("an answer that drifts from the endpoint's response schema is a loud 500 outside production", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const route = apiRoute(endpoints.getOrganization, async () => ({ organization: { id: 1, name: "x" } }));
    const res = await call({ GET: route }, "GET", { key: org.key });
    expect([res.status, res.body.code]).toEqual([500, "internal"]);
    expect(logged.mock.calls.flat().join(" ")).toMatch(/does not match its declared schema.*GET \/v1\/organization/);
  });
});

describe("unexpected failures", () => {
  it("become a 500 with a generic message and the request id; the details only reach the log", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const route = apiRoute(endpoints.getOrganization, async () => {
      throw new Error('relation "secret_table" does not exist');
    });
    const res = await call({ GET: route }, "GET", { key: org.key });
    const id = res.headers.get("x-request-id");
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ success: false, error: `Internal server error (request id ${id})`, code: "internal", deprecated: false });
    expect(JSON.stringify(res.body)).not.toContain("secret_table");
    expect(logged.mock.calls.flat().join(" ")).toContain("secret_table");
  });

  it("become a 503 when the database is unreachable", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const unreachable = openPostgres("postgres://nobody@127.0.0.1:1/none", 1);
    setDatabase(unreachable);
    try {
      const res = await getOrg();
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ success: false, code: "unavailable" });
    } finally {
      setDatabase(testDatabase().db);
      await unreachable.close();
    }
  });
});

describe("round trips", () => {
  it("a key's GET /v1/organization is one read: the key lookup brings the organization, counts are written in batches", async () => {
    await getOrg(); // the key's first use in a minute also writes lastUsedAt
    await settleBackgroundWrites();
    const { result, all } = await countStatements(() => getOrg());
    expect(result.body.data.organization).toMatchObject({ id: org.id, name: "Acme" });
    expect(all.filter((q) => !/^\s*INSERT INTO "RateLimitBucket"/.test(q)), all.join("\n---\n")).toHaveLength(1);
    // Renamed since: the next request reads the new name with its key.
    await getPrisma().organization.update({ where: { id: org.id }, data: { name: "Acme 2" } });
    expect((await getOrg()).body.data.organization.name).toBe("Acme 2");
  });
});

describe("rate limit", () => {
  it("counts per key in the database, sets RateLimit-* headers and answers 429 with Retry-After", async () => {
    vi.stubEnv("RATE_LIMIT_PER_MINUTE", "3");
    reloadEnv();
    const other = await createOrg();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await getOrg());
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.headers.get("ratelimit-remaining"))).toEqual(["2", "1", "0", "0"]);
    expect(answers[0]!.headers.get("ratelimit-limit")).toBe("3");
    const reset = Number(answers[3]!.headers.get("ratelimit-reset"));
    expect(reset).toBeGreaterThanOrEqual(1);
    expect(reset).toBeLessThanOrEqual(60);
    expect(answers[3]!.headers.get("retry-after")).toBe(String(reset));
    expect(answers[3]!.body).toMatchObject({ success: false, code: "rate_limited" });
    // Another key has its own budget.
    expect((await call(organization, "GET", { key: other.key })).status).toBe(200);
    // Counted in memory and written in batches: after a flush the shared rows hold every hit.
    await flushRequestCounts();
    const buckets = await getPrisma().rateLimitBucket.findMany();
    expect(buckets.map((b) => [b.key, b.count]).sort()).toEqual(
      [
        [`apiKey:${org.apiKeyId}`, 4],
        [`apiKey:${other.apiKeyId}`, 1],
        [`org:${org.id}`, 4],
        [`org:${other.id}`, 1],
      ].sort(),
    );
  });

  it("also counts per organization, so more keys do not buy more requests; other organizations are unaffected", async () => {
    vi.stubEnv("RATE_LIMIT_PER_MINUTE", "100");
    vi.stubEnv("RATE_LIMIT_ORG_PER_MINUTE", "3");
    reloadEnv();
    const second = (await call(apiKeys, "POST", { key: org.key, body: { name: "second" } })).body.data.apiKey.value as string;
    const other = await createOrg();
    // The create above was the first request of the organization's minute.
    const statuses = [await getOrg(), await call(organization, "GET", { key: second }), await getOrg()].map((a) => a.status);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await call(organization, "GET", { key: second });
    expect([refused.status, refused.headers.get("ratelimit-limit"), refused.headers.get("retry-after")]).toEqual([
      429,
      "3",
      expect.stringMatching(/^\d+$/),
    ]);
    expect((await call(organization, "GET", { key: other.key })).status).toBe(200);
  });
});

describe("project keys", () => {
  it("are refused on management endpoints with a 403 naming the organization key", async () => {
    const project = await getPrisma().project.create({ data: { organizationId: org.id, name: "P" } });
    const key = generateProjectKeyForTest();
    await getPrisma().apiKey.create({
      data: { organizationId: org.id, projectId: project.id, name: "p", keyHash: hashApiKey(key), last6: key.slice(-6) },
    });
    const res = await call(organization, "GET", { key });
    expect([res.status, res.body]).toEqual([
      403,
      { success: false, error: "This endpoint needs an organization API key", code: "forbidden", deprecated: false },
    ]);
  });
});

const generateProjectKeyForTest = () => `confident_proj_${"ab".repeat(24)}`;

describe("lastUsed", () => {
  it("is written on successful authentication, at most once a minute", async () => {
    expect((await getPrisma().apiKey.findUniqueOrThrow({ where: { id: org.apiKeyId } })).lastUsedAt).toBeNull();
    await getOrg();
    await settleBackgroundWrites();
    const first = (await getPrisma().apiKey.findUniqueOrThrow({ where: { id: org.apiKeyId } })).lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    await getOrg();
    await getOrg();
    await settleBackgroundWrites();
    const second = (await getPrisma().apiKey.findUniqueOrThrow({ where: { id: org.apiKeyId } })).lastUsedAt;
    expect(second).toEqual(first);
  });
});
