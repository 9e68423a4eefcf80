import { beforeEach, describe, expect, it } from "vitest";
import * as organization from "@/app/v1/organization/route";
import { getPrisma } from "@/lib/db";
import { call } from "../helpers/api";
import { createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

let org: TestOrg;
beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
});

describe("GET /v1/organization", () => {
  it("answers the key's organization in the contract's shape", async () => {
    const res = await call(organization, "GET", { key: org.key });
    const created = (await getPrisma().organization.findUniqueOrThrow({ where: { id: org.id } })).createdAt;
    expect(res.body).toEqual({
      success: true,
      data: { organization: { id: org.id, name: "Acme", plan: "TEAM", created_at: created.toISOString() } },
      deprecated: false,
    });
  });
});

describe("PUT /v1/organization", () => {
  it("renames (trimmed) and audits the change", async () => {
    const res = await call(organization, "PUT", { key: org.key, body: { name: "  Acme Labs  " } });
    expect(res.body.data.organization.name).toBe("Acme Labs");
    expect((await getPrisma().organization.findUniqueOrThrow({ where: { id: org.id } })).name).toBe("Acme Labs");
    const [event] = await getPrisma().auditEvent.findMany({ where: { action: "org.update" } });
    expect(event).toMatchObject({
      organizationId: org.id,
      actorType: "apiKey",
      actorId: String(org.apiKeyId),
      targetType: "organization",
      targetId: org.id,
      requestId: res.headers.get("x-request-id"),
      metadata: { name: { from: "Acme", to: "Acme Labs" } },
    });
  });

  it("rejects a missing, empty or too long name, naming the field, and changes nothing", async () => {
    for (const body of [{}, { name: "   " }, { name: "x".repeat(101) }, { name: 42 }]) {
      const res = await call(organization, "PUT", { key: org.key, body });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/^name /);
    }
    expect((await getPrisma().organization.findUniqueOrThrow({ where: { id: org.id } })).name).toBe("Acme");
    expect(await getPrisma().auditEvent.count()).toBe(0);
  });
});
