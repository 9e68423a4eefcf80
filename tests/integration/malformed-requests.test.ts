// Hundreds of malformed requests against the organization and invitation routes (a table plus
// seeded fast-check properties): every answer is a 4xx error envelope with a request id, never a
// 500, and the database is exactly as it was before.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as catchAll from "@/app/v1/[[...path]]/route";
import * as item from "@/app/v1/organization/invitations/[invitationId]/route";
import * as collection from "@/app/v1/organization/invitations/route";
import * as organization from "@/app/v1/organization/route";
import { generateApiKey, hashApiKey, lastSix } from "@/lib/auth/api-keys";
import { getPrisma } from "@/lib/db";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { reloadEnv } from "@/lib/env";
import { settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { call, type ApiResult, type CallOptions } from "../helpers/api";
import { createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Route = Parameters<typeof call>[0];
interface Case { route: Route; method: Method; opts: CallOptions; status?: number; allow?: string }

const FC = { seed: 20_240_601, numRuns: 40 };
const ORG = "/v1/organization";
const INV = "/v1/organization/invitations";
const OWNER = SYSTEM_ROLES.Owner;
const MEMBER = SYSTEM_ROLES.Member;
const OK_EMAILS = ["new.person@example.com"];
let a: TestOrg, free: TestOrg, deactivatedKey: string, otherRoleId: string, otherInvitationId: number;
let before: Awaited<ReturnType<typeof snapshot>>;
let sent = 0;
const unauthorizedMessages = new Set<string>();

async function snapshot() {
  const prisma = getPrisma();
  return {
    organizations: await prisma.organization.findMany({ select: { id: true, name: true, plan: true }, orderBy: { id: "asc" } }),
    invitations: await prisma.invitation.findMany({ orderBy: { id: "asc" } }),
    outbox: await prisma.emailOutbox.count(),
    audit: await prisma.auditEvent.count(),
    roles: await prisma.role.count(),
    memberships: await prisma.membership.count(),
    users: await prisma.user.count(),
    apiKeys: await prisma.apiKey.findMany({ select: { id: true, valid: true }, orderBy: { id: "asc" } }),
  };
}

const label = (c: Case) => `${c.method} ${c.opts.path} ${JSON.stringify({ ...c.opts, path: undefined }).slice(0, 160)}`;

async function send(c: Case): Promise<ApiResult> {
  sent++;
  return call(c.route, c.method, c.opts);
}

/** The problems with one answer, empty when it is a proper 4xx envelope. */
function problems(c: Case, res: ApiResult): string[] {
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
  for (const c of cases) failures.push(...problems(c, await send(c)));
  expect(failures).toEqual([]);
}

const post = (body: unknown, extra: Partial<CallOptions> = {}, status?: number): Case => ({
  route: collection, method: "POST", opts: { key: a.key, path: INV, body, ...extra }, status,
});
const rename = (body: unknown, extra: Partial<CallOptions> = {}, status?: number): Case => ({
  route: organization, method: "PUT", opts: { key: a.key, path: ORG, body, ...extra }, status,
});
const onItem = (method: "PUT" | "DELETE", id: string, status?: number, extra: Partial<CallOptions> = {}): Case => ({
  route: item, method, status,
  opts: { key: a.key, path: `${INV}/${encodeURIComponent(id.replace(/[\uD800-\uDFFF]/g, "?"))}`, params: { invitationId: id }, ...extra },
});
const list = (query: Record<string, string>, status?: number, extra: Partial<CallOptions> = {}): Case => ({
  route: collection, method: "GET", opts: { key: a.key, path: INV, query, ...extra }, status,
});
const withType = (type: string) => ({ headers: { "content-type": type } });
const withBody = (method: Method, body: unknown) => (method === "GET" ? undefined : body);

beforeAll(async () => {
  vi.stubEnv("RATE_LIMIT_PER_MINUTE", "1000000");
  vi.stubEnv("RATE_LIMIT_ORG_PER_MINUTE", "1000000");
  reloadEnv();
  await resetDatabase(testDatabase().db);
  a = await createOrg({ name: "Acme" });
  free = await createOrg({ name: "Freeloader", plan: "FREE" });
  const other = await createOrg({ name: "Other" });
  deactivatedKey = generateApiKey();
  await getPrisma().apiKey.create({
    data: { organizationId: a.id, name: "off", keyHash: hashApiKey(deactivatedKey), last6: lastSix(deactivatedKey), valid: false },
  });
  otherRoleId = (await getPrisma().role.create({ data: { organizationId: other.id, name: "Auditor" } })).id;
  // A live invitation in each org: malformed resends and revokes must leave them untouched.
  for (const [org, email] of [[a, "pending@example.com"], [other, "guest@example.com"]] as const) {
    const res = await call(collection, "POST", { key: org.key, path: INV, body: { emails: [email] } });
    expect(res.status).toBe(200);
    if (org === other) otherInvitationId = res.body.data.invitations[0].id;
  }
  await settleBackgroundWrites();
  before = await snapshot();
});

afterAll(() => {
  vi.unstubAllEnvs();
  reloadEnv();
});

describe("malformed requests get a 4xx envelope and change nothing", () => {
  it("missing, unknown and deactivated keys: 401 with one uniform message", async () => {
    const keyed = (key: string | null, headers: Record<string, string> = {}): Partial<CallOptions> => ({ key, headers });
    const variants: Partial<CallOptions>[] = [
      keyed(null), keyed(null, { confident_api_key: "   " }), keyed("nope"), keyed(generateApiKey()),
      keyed(deactivatedKey), keyed(a.key.toUpperCase()), keyed(`${a.key}x`), keyed(null, { authorization: `Bearer ${deactivatedKey}` }),
      keyed(null, { authorization: "Bearer" }), keyed(null, { authorization: `Basic ${a.key}` }), keyed(null, { authorization: `Token ${a.key}` }),
    ];
    await expectAll4xx(variants.flatMap((v): Case[] => [
      { route: organization, method: "GET", opts: { path: ORG, ...v }, status: 401 },
      rename({ name: "Hijacked" }, v, 401), list({}, 401, v), post({ emails: OK_EMAILS }, v, 401),
      onItem("PUT", "1", 401, v), onItem("DELETE", "1", 401, v), onItem("DELETE", "abc", 401, v),
    ]));
    expect([...unauthorizedMessages]).toHaveLength(1);
  });

  it("wrong methods are 405 with Allow; unknown routes are 404", async () => {
    const wrong: [Route, string, Method[], string][] = [
      [organization, ORG, ["POST", "PATCH", "DELETE"], "GET, PUT"],
      [collection, INV, ["PUT", "PATCH", "DELETE"], "GET, POST"],
      [item, `${INV}/1`, ["GET", "POST", "PATCH"], "PUT, DELETE"],
    ];
    const cases: Case[] = wrong.flatMap(([route, path, methods, allow]) =>
      methods.flatMap((method) => [
        { route, method, opts: { key: a.key, path, params: { invitationId: "1" }, body: withBody(method, { name: "x", emails: OK_EMAILS }) }, status: 405, allow },
        { route, method, opts: { path, params: { invitationId: "abc" }, body: withBody(method, "{not json") }, status: 405, allow },
      ]),
    );
    for (const path of ["/v1", "/v1/nope", "/v1/organization/members", `${INV}/1/accept`, "/v1/organizations", "/v1/%00"]) {
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as Method[]) {
        cases.push({ route: catchAll, method, opts: { key: a.key, path, body: withBody(method, "{") }, status: 404 });
      }
    }
    await expectAll4xx(cases);
  });

  it("bodies that are not JSON objects, or not sent as JSON", async () => {
    const notJson = ["{", '{"name":', "nope", "{'name':'x'}", "[1,2", '{"name":"x",}', "undefined", "NaN", '{"name":"x"} trailing', '{"emails":["a@example.com"'];
    const notObjects = ["[]", '"str"', "42", "null", "true", '[{"name":"Renamed"}]', '[{"emails":["a@example.com"]}]', "", "  \n "];
    const types = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "text/json", "application/jsonx", ""];
    const cases: Case[] = [];
    for (const make of [rename, post]) {
      for (const raw of [...notJson, ...notObjects]) cases.push(make(raw, {}, 400));
      for (const type of types) cases.push(make(make === rename ? '{"name":"Renamed"}' : '{"emails":["a@example.com"]}', withType(type), 415));
    }
    cases.push(rename("name=Renamed", withType("application/x-www-form-urlencoded"), 415));
    cases.push(post("emails=a%40example.com", withType("application/x-www-form-urlencoded"), 415));
    await expectAll4xx(cases);
  });

  it("PUT /v1/organization with a bad name", async () => {
    const names = ["", "   ", "\t\n", "\u00a0", "\u3000", "x".repeat(101), ` ${"y".repeat(101)} `, 1, 0, null, true, false, [], ["Acme"], {}, { first: "x" }];
    await expectAll4xx([...names.map((name) => rename({ name }, {}, 400)), rename({}, {}, 400), rename({ Name: "Renamed" }, {}, 400)]);
  });

  it("POST /v1/organization/invitations with bad emails or roles", async () => {
    const many = Array.from({ length: 101 }, (_, i) => `user${i}@example.com`);
    const emails = [
      "a@example.com", 42, null, true, {}, { 0: "a@example.com" }, [], [["a@example.com"]], [1], [null], [{}], many,
      [`${"a".repeat(315)}@example.com`], ["not-an-email"], ["ok@example.com", "bad"], ["ok@example.com", ""], ["ok@example.com", "a@"],
      ["@example.com"], ["a b@example.com"], ["ok@example.com", "x@y@example.com"], [...many.slice(0, 99), "nope"],
    ];
    const roles: [unknown, number][] = [
      ["not-a-uuid", 400], [42, 400], ["", 400], [null, 400], [true, 400], [{}, 400], [[MEMBER], 400], [`{${MEMBER}}`, 400],
      [`${MEMBER} `, 400], [MEMBER.replaceAll("-", ""), 400], [OWNER, 403], ["3f1c2a4b-5d6e-4f70-8a9b-0c1d2e3f4a5b", 422],
      ["00000000-0000-0000-0000-000000000000", 422], [otherRoleId, 422],
    ];
    await expectAll4xx([
      ...emails.map((value) => post({ emails: value }, {}, 400)),
      post({}, {}, 400), post({ organizationRoleId: MEMBER }, {}, 400), post({ Emails: OK_EMAILS }, {}, 400),
      ...roles.map(([organizationRoleId, status]) => post({ emails: OK_EMAILS, organizationRoleId }, {}, status)),
      post({ emails: ["bad"], organizationRoleId: OWNER }),
      post({ emails: OK_EMAILS }, { key: free.key }, 403),
    ]);
  });

  it("bad invitation ids, foreign invitations and bad list filters", async () => {
    const ids = ["0", "-1", "1.5", "abc", "99999999999", "1e3", " 1", "1 ", "١", "１", "0x1", "+1", "01", "", "2147483648", "1/2", "%31", "null", "Infinity", "💥"];
    const cases: Case[] = [];
    for (const method of ["PUT", "DELETE"] as const) {
      cases.push(...ids.map((id) => onItem(method, id, 400)), onItem(method, "2147483647", 404), onItem(method, String(otherInvitationId), 404));
    }
    for (const status of ["pending", "ACCEPTED", "REVOKED", "", "PENDING,DECLINED", " PENDING", "1", "' OR 1=1 --"]) cases.push(list({ status }, 400));
    cases.push(list({ email: "x".repeat(321) }, 400), list({ status: "ACCEPTED", email: "a" }, 400));
    await expectAll4xx(cases);
  });

  it("generated malformed inputs (fast-check, fixed seed)", async () => {
    const check = async (c: Case) => {
      expect(problems(c, await send(c))).toEqual([]);
    };
    const run = <T extends unknown[]>(property: fc.IAsyncPropertyWithHooks<T>) => fc.assert(property, FC);
    const notJsonObject = (s: string) => {
      try {
        const v = JSON.parse(s);
        return v === null || typeof v !== "object" || Array.isArray(v);
      } catch {
        return true;
      }
    };
    const junk = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }));
    const badEntry = fc.oneof(junk, fc.string({ unit: "binary" }).filter((s) => !s.includes("@")));
    const emails = fc.oneof(
      junk, fc.string(), fc.constant([]),
      fc.tuple(fc.array(fc.constantFrom(...OK_EMAILS, "x@example.com"), { maxLength: 5 }), badEntry).map(([ok, bad]) => [...ok, bad]),
      fc.array(fc.emailAddress(), { minLength: 101, maxLength: 130 }),
    );
    const badName = fc.oneof(junk, fc.stringMatching(/^\s{0,5}$/), fc.string({ minLength: 101, maxLength: 300 }).filter((s) => s.trim().length > 100));
    const badRaw = fc.oneof(fc.string({ unit: "binary" }), fc.jsonValue().map((v) => JSON.stringify(v))).filter(notJsonObject);
    const unknownRole = fc.uuid({ version: 4 }).filter((u) => !Object.values(SYSTEM_ROLES).includes(u as never));
    await run(fc.asyncProperty(emails, (value) => check(post({ emails: value }, {}, 400))));
    await run(fc.asyncProperty(fc.oneof(junk, fc.string().filter((s) => !/^[0-9a-f-]{36}$/i.test(s))), (role) =>
      check(post({ emails: OK_EMAILS, organizationRoleId: role }, {}, 400))));
    await run(fc.asyncProperty(unknownRole, (role) => check(post({ emails: OK_EMAILS, organizationRoleId: role }, {}, 422))));
    await run(fc.asyncProperty(badName, (name) => check(rename({ name }, {}, 400))));
    await run(fc.asyncProperty(badRaw, fc.boolean(), (raw, toOrg) => check((toOrg ? rename : post)(raw, {}, 400))));
    await run(fc.asyncProperty(fc.string({ unit: "binary", maxLength: 15 }).filter((s) => !/^[1-9]\d{0,9}$/.test(s)),
      fc.constantFrom("PUT" as const, "DELETE" as const), (id, method) => check(onItem(method, id, 400))));
    await run(fc.asyncProperty(fc.string({ unit: "binary", maxLength: 20 }).filter((s) => s !== "PENDING" && s !== "DECLINED"), (status) =>
      check(list({ status }, 400))));
  });

  it("strings holding NUL bytes are refused, not handed to the database", async () => {
    await expectAll4xx([rename({ name: "Acme\u0000Corp" }), list({ email: "a\u0000b" }), post({ emails: ["a\u0000b@example.com"] }, {}, 400)]);
  });

  it("bodies over 1 MB are 413, streamed or declared", async () => {
    const huge = JSON.stringify({ emails: OK_EMAILS, pad: "x".repeat(1024 * 1024) });
    await expectAll4xx([
      post(huge, {}, 413),
      rename(JSON.stringify({ name: "Renamed", pad: "x".repeat(1024 * 1024) }), {}, 413),
      post({ emails: OK_EMAILS }, { headers: { "content-length": String(1024 * 1024 + 1) } }, 413),
      rename({ name: "Renamed" }, { headers: { "content-length": "5000000" } }, 413),
    ]);
  });

  it("sent at least 200 requests and the database is unchanged", async () => {
    expect(sent).toBeGreaterThanOrEqual(200);
    await settleBackgroundWrites();
    const after = await snapshot();
    expect(after).toEqual(before);
    expect(after.organizations.find((o) => o.id === a.id)?.name).toBe("Acme");
  });
});
