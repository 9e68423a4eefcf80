import { beforeEach, describe, expect, it } from "vitest";
import * as collection from "@/app/v1/organization/invitations/route";
import { getPrisma } from "@/lib/db";
import { call } from "../helpers/api";
import { countStatements, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

let org: TestOrg;
beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg();
});

const invite = (emails: string[], key = org.key) => call(collection, "POST", { key, body: { emails } });

describe("concurrent invitations", () => {
  it("50 simultaneous invites of one email make exactly one PENDING row and one outbox email", async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => invite(["same@example.com"])));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.body.data.invitations.length === 1)).toHaveLength(1);
    expect(answers.filter((a) => a.body.data.skipped[0]?.reason === "ALREADY_INVITED")).toHaveLength(49);
    expect(await getPrisma().invitation.count({ where: { status: "PENDING" } })).toBe(1);
    expect(await getPrisma().emailOutbox.count()).toBe(1);
    expect(await getPrisma().auditEvent.count({ where: { action: "org.invitations.create" } })).toBe(1);
  });

  it("never exceeds the seat limit, however the creates interleave", async () => {
    const limited = await createOrg({ seatLimit: 5 }); // owner + 4 seats
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => invite([`p${i}a@example.com`, `p${i}b@example.com`], limited.key)),
    );
    const accepted = answers.filter((a) => a.status === 200);
    expect(accepted).toHaveLength(2);
    expect(answers.filter((a) => a.status === 403).every((a) => /Seat limit reached/.test(a.body.error))).toBe(true);
    expect(await getPrisma().invitation.count({ where: { organizationId: limited.id } })).toBe(4);
  });
});

/** Statements on the request path: the debounced lastUsed write and the bucket sweep run after it. */
const onRequestPath = (statements: string[]) =>
  statements.filter((s) => !/UPDATE "ApiKey" SET "lastUsedAt"|DELETE FROM "RateLimitBucket"/.test(s));

describe("statement count", () => {
  it("is the same for 1 and 100 emails (no per-email round trips)", async () => {
    const one = await countStatements(() => invite(["solo@example.com"]));
    expect(one.result.body.data.invitations).toHaveLength(1);
    const hundred = await countStatements(() => invite(Array.from({ length: 100 }, (_, i) => `bulk${i}@example.com`)));
    expect(hundred.result.body.data.invitations).toHaveLength(100);
    expect(onRequestPath(hundred.statements)).toHaveLength(onRequestPath(one.statements).length);
    expect(onRequestPath(one.statements).length).toBeLessThanOrEqual(10);
  });

  it("lists with one query besides authentication", async () => {
    await invite(Array.from({ length: 20 }, (_, i) => `l${i}@example.com`));
    const listed = await countStatements(() => call(collection, "GET", { key: org.key }));
    expect(listed.result.body.data.invitations).toHaveLength(20);
    const besidesAuth = onRequestPath(listed.statements).filter((s) => !s.includes('"RateLimitBucket"'));
    expect(besidesAuth).toHaveLength(1);
  });
});
