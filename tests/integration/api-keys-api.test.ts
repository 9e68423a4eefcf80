import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import * as collection from "@/app/v1/organization/api-keys/route";
import * as item from "@/app/v1/organization/api-keys/[apiKeyId]/route";
import * as organization from "@/app/v1/organization/route";
import { getPrisma } from "@/lib/db";
import { settleBackgroundWrites } from "@/lib/services/api-key-auth";
import { createApiKey, listApiKeys } from "@/lib/services/api-keys";
import type { ServiceContext } from "@/lib/services/context";
import { call } from "../helpers/api";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const redacted = (key: string) => "***************" + key.slice(-6);
let org: TestOrg;

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
});

const create = (body: unknown, key = org.key) => call(collection, "POST", { key, body });
const list = (key = org.key) => call(collection, "GET", { key });
const params = (id: number | string) => ({ apiKeyId: String(id) });
const get = (id: number | string, key = org.key) => call(item, "GET", { key, params: params(id) });
const update = (id: number | string, body: unknown, key = org.key) => call(item, "PUT", { key, params: params(id), body });
const remove = (id: number | string, key = org.key) => call(item, "DELETE", { key, params: params(id) });
/** Any authenticated request: tells whether the key works right now. */
const statusWith = async (key: string) => (await call(organization, "GET", { key })).status;

async function newKey(name = "CI") {
  const res = await create({ name });
  expect(res.status).toBe(200);
  return { ...res.body.data.apiKey, key: res.body.data.apiKey.value as string };
}

const row = (id: number) => getPrisma().apiKey.findUnique({ where: { id } });
const audit = (action: string) => getPrisma().auditEvent.findMany({ where: { action } });
/** The event a response's request wrote (createdAt is too coarse to order events by). */
const eventOf = (res: { headers: Headers }) =>
  getPrisma().auditEvent.findFirstOrThrow({ where: { requestId: res.headers.get("x-request-id")! } });

describe("POST /v1/organization/api-keys", () => {
  it("returns the full key once and stores only its SHA-256, with an audit event", async () => {
    const res = await create({ name: "  Deploy bot  " });
    expect(res.status).toBe(200);
    const apiKey = res.body.data.apiKey;
    expect(res.body).toMatchObject({ success: true, deprecated: false });
    expect(apiKey).toEqual({
      id: expect.any(Number),
      name: "Deploy bot",
      valid: true,
      value: expect.stringMatching(/^confident_org_[0-9a-f]{32,}$/),
      created_at: expect.stringMatching(TIMESTAMP),
      lastUsed: null,
      createdBy: null,
    });

    const stored = (await row(apiKey.id))!;
    expect(stored).toMatchObject({ organizationId: org.id, name: "Deploy bot", valid: true, lastUsedAt: null });
    expect(stored.createdByUserId).toBeNull(); // an operator key minted it: it acts as the Owner too
    expect(stored.keyHash).toBe(createHash("sha256").update(apiKey.value).digest("hex"));
    expect(stored.last6).toBe(apiKey.value.slice(-6));
    expect(stored.createdAt.toISOString()).toBe(apiKey.created_at);
    // The raw key appears nowhere at rest: neither in the key table nor in the audit trail.
    const [dump] = await getPrisma().$queryRawUnsafe<{ text: string }[]>(
      `SELECT (SELECT string_agg(k::text, ' ') FROM "ApiKey" k) || (SELECT string_agg(a::text, ' ') FROM "AuditEvent" a) AS text`,
    );
    expect(dump!.text).toContain(stored.keyHash);
    expect(dump!.text).not.toContain(apiKey.value);
    expect(dump!.text).not.toContain(apiKey.value.slice("confident_org_".length));

    const [event] = await audit("org.apiKeys.create");
    expect(event).toMatchObject({
      organizationId: org.id,
      actorType: "apiKey",
      actorId: String(org.apiKeyId),
      targetType: "apiKey",
      targetId: String(apiKey.id),
      requestId: res.headers.get("x-request-id"),
      metadata: { name: "Deploy bot" },
    });
    expect(await statusWith(apiKey.value)).toBe(200);
  });

  it("records the creating user when a user acts, and needs apiKey:manage", async () => {
    const asUser = (userId: string): ServiceContext => ({
      actor: { type: "user", userId, organizationId: org.id },
      requestId: "req-1",
    });
    const asOwner = asUser(org.ownerId);
    const created = await createApiKey(asOwner, { name: "Laptop" });
    expect((await row(created.id))!.createdByUserId).toBe(org.ownerId);
    expect((await audit("org.apiKeys.create"))[0]).toMatchObject({ actorType: "user", actorId: org.ownerId });

    const member = await addMember(org.id, "member@example.com");
    const asMember = asUser(member.id);
    expect((await listApiKeys(asMember)).map((k) => k.id)).toEqual([org.apiKeyId, created.id]);
    await expect(createApiKey(asMember, { name: "Nope" })).rejects.toMatchObject({ status: 403 });
    expect(await getPrisma().apiKey.count()).toBe(2);
  });

  it("rejects a missing, empty, too long or non-string name, naming the field, and creates nothing", async () => {
    for (const body of [{}, { name: "   " }, { name: "x".repeat(101) }, { name: 42 }, { name: null }]) {
      const res = await create(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ success: false, code: "validation_failed", error: expect.stringMatching(/^name /) });
    }
    expect((await create({ name: "x".repeat(100) })).status).toBe(200);
    expect(await getPrisma().apiKey.count()).toBe(2);
    expect(await getPrisma().auditEvent.count()).toBe(1);
  });
});

describe("GET /v1/organization/api-keys and /{id}", () => {
  it("are redacted to 15 stars and the last 6 characters, oldest first", async () => {
    const a = await newKey("A");
    const b = await newKey("B");
    const res = await list();
    expect(res.status).toBe(200);
    const keys = res.body.data.apiKeys;
    expect(keys.map((k: any) => [k.id, k.name])).toEqual([
      [org.apiKeyId, "test"],
      [a.id, "A"],
      [b.id, "B"],
    ]);
    expect(keys.map((k: any) => k.value)).toEqual([redacted(org.key), redacted(a.key), redacted(b.key)]);
    const one = await get(a.id);
    expect(one.body).toEqual({
      success: true,
      data: {
        apiKey: { id: a.id, name: "A", valid: true, value: redacted(a.key), created_at: a.created_at, lastUsed: null, createdBy: null },
      },
      deprecated: false,
    });
    expect(JSON.stringify(res.body) + JSON.stringify(one.body)).not.toContain(a.key);
  });

  it("show lastUsed as null until the key authenticates, then its time", async () => {
    const a = await newKey();
    expect((await get(a.id)).body.data.apiKey.lastUsed).toBeNull();
    const before = Date.now();
    expect(await statusWith(a.key)).toBe(200);
    await settleBackgroundWrites();
    const lastUsed = (await get(a.id)).body.data.apiKey.lastUsed;
    expect(lastUsed).toMatch(TIMESTAMP);
    expect(Date.parse(lastUsed)).toBeGreaterThanOrEqual(before - 5_000);
    expect((await row(a.id))!.lastUsedAt!.toISOString()).toBe(lastUsed);
  });

  it("answer 404 for unknown ids and 400 for ids that are not positive integers", async () => {
    expect((await get(999_999)).body).toMatchObject({ code: "not_found", error: "API key 999999 not found" });
    for (const bad of ["abc", "0", "-1", "1.5", "99999999999"]) {
      expect((await get(bad)).body).toMatchObject({ code: "validation_failed", error: "apiKeyId: must be a positive integer" });
    }
  });
});

describe("PUT /v1/organization/api-keys/{id}", () => {
  it("deactivates a key for its very next request and reactivates it, audited", async () => {
    const other = await newKey("Other");
    const off = await update(other.id, { valid: false });
    expect(off.status).toBe(200);
    const { key: _full, ...created } = other;
    expect(off.body.data.apiKey).toEqual({ ...created, valid: false, value: redacted(other.key) });
    expect((await row(other.id))!.valid).toBe(false);
    expect(await statusWith(other.key)).toBe(401);
    expect((await list(other.key)).body).toMatchObject({ code: "unauthorized" });

    const on = await update(other.id, { valid: true });
    expect(on.body.data.apiKey.valid).toBe(true);
    expect((await row(other.id))!.valid).toBe(true);
    expect(await statusWith(other.key)).toBe(200);

    expect(await audit("org.apiKeys.update")).toHaveLength(2);
    const by = { organizationId: org.id, action: "org.apiKeys.update", actorType: "apiKey", actorId: String(org.apiKeyId) };
    const target = { targetType: "apiKey", targetId: String(other.id) };
    expect(await eventOf(off)).toMatchObject({ ...by, ...target, metadata: { valid: { from: true, to: false } } });
    expect(await eventOf(on)).toMatchObject({ ...by, ...target, metadata: { valid: { from: false, to: true } } });
  });

  it("lets a key deactivate itself: that request succeeds, the next one is refused", async () => {
    const self = await newKey("Self");
    const res = await update(self.id, { valid: false }, self.key);
    expect([res.status, res.body.data.apiKey.valid]).toEqual([200, false]);
    expect(await eventOf(res)).toMatchObject({ actorId: String(self.id), targetId: String(self.id) });
    expect(await statusWith(self.key)).toBe(401);
    expect((await update(self.id, { valid: true }, self.key)).status).toBe(401);
    expect((await row(self.id))!.valid).toBe(false);
    // Another key of the org brings it back.
    const back = await update(self.id, { valid: true });
    expect(back.status).toBe(200);
    expect(await statusWith(self.key)).toBe(200);
    expect(await eventOf(back)).toMatchObject({ actorId: String(org.apiKeyId), targetId: String(self.id) });
    expect(await audit("org.apiKeys.update")).toHaveLength(2);
  });

  it("needs valid as a JSON boolean, naming the field, and changes nothing otherwise", async () => {
    const a = await newKey();
    for (const body of [{}, { valid: "false" }, { valid: 0 }, { valid: null }, { name: "renamed" }, "", "[]"]) {
      const res = await update(a.id, body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/^valid |must be a JSON object/);
    }
    expect((await update(a.id, {})).body.error).toBe("valid is required and must be true or false");
    expect((await update("abc", { valid: false })).body.error).toBe("apiKeyId: must be a positive integer");
    expect((await update(999_999, { valid: false })).status).toBe(404);
    expect((await row(a.id))!.valid).toBe(true);
    expect(await audit("org.apiKeys.update")).toEqual([]);
  });
});

describe("DELETE /v1/organization/api-keys/{id}", () => {
  it("removes the row for good; the key is refused at once; audited with actor and target", async () => {
    const a = await newKey("Gone");
    const res = await remove(a.id);
    expect(res.body).toEqual({ success: true, data: { id: a.id, deleted: true }, deprecated: false });
    expect(await row(a.id)).toBeNull();
    expect(await statusWith(a.key)).toBe(401);
    expect((await get(a.id)).status).toBe(404);
    expect((await remove(a.id)).status).toBe(404);
    expect((await update(a.id, { valid: true })).status).toBe(404);
    expect((await list()).body.data.apiKeys.map((k: any) => k.id)).toEqual([org.apiKeyId]);

    const events = await audit("org.apiKeys.delete");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      organizationId: org.id,
      actorType: "apiKey",
      actorId: String(org.apiKeyId),
      targetType: "apiKey",
      targetId: String(a.id),
      requestId: res.headers.get("x-request-id"),
      metadata: { name: "Gone", last6: a.key.slice(-6) },
    });
  });

  it("lets a key delete itself", async () => {
    const self = await newKey("Self");
    expect((await remove(self.id, self.key)).body.data).toEqual({ id: self.id, deleted: true });
    expect(await row(self.id)).toBeNull();
    expect(await statusWith(self.key)).toBe(401);
    expect((await audit("org.apiKeys.delete"))[0]).toMatchObject({ actorId: String(self.id), targetId: String(self.id) });
  });
});

describe("another organization's keys", () => {
  it("are 404 on every route, are not listed, and stay untouched", async () => {
    const mine = await newKey("Mine");
    const outsider = await createOrg();
    const snapshot = await getPrisma().apiKey.findMany({ where: { organizationId: org.id }, orderBy: { id: "asc" } });
    const auditBefore = await getPrisma().auditEvent.count();

    for (const id of [org.apiKeyId, mine.id]) {
      for (const res of [
        await get(id, outsider.key),
        await update(id, { valid: false }, outsider.key),
        await remove(id, outsider.key),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ success: false, code: "not_found", error: `API key ${id} not found` });
      }
    }
    expect((await list(outsider.key)).body.data.apiKeys.map((k: any) => k.id)).toEqual([outsider.apiKeyId]);
    expect(await getPrisma().apiKey.findMany({ where: { organizationId: org.id }, orderBy: { id: "asc" } })).toEqual(snapshot);
    expect(await getPrisma().auditEvent.count()).toBe(auditBefore);
    expect(await statusWith(mine.key)).toBe(200);
  });
});

describe("routing and authentication", () => {
  it("answers wrong methods with 405 and the allowed ones", async () => {
    for (const method of ["PUT", "PATCH", "DELETE"] as const) {
      const res = await call(collection, method, { key: org.key });
      expect([res.status, res.body.code, res.headers.get("allow")]).toEqual([405, "method_not_allowed", "GET, POST"]);
    }
    for (const method of ["POST", "PATCH"] as const) {
      const res = await call(item, method, { key: org.key, params: params(org.apiKeyId) });
      expect([res.status, res.body.code, res.headers.get("allow")]).toEqual([405, "method_not_allowed", "GET, PUT, DELETE"]);
    }
  });

  it("needs a key on every route", async () => {
    const answers = [
      await list(""),
      await create({ name: "x" }, ""),
      await get(org.apiKeyId, ""),
      await update(org.apiKeyId, { valid: false }, ""),
      await remove(org.apiKeyId, ""),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect(await getPrisma().apiKey.findMany()).toMatchObject([{ id: org.apiKeyId, valid: true }]);
  });
});
