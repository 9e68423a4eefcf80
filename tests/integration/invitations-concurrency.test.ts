import { beforeEach, describe, expect, it } from "vitest";
import * as collection from "@/app/v1/organization/invitations/route";
import * as member from "@/app/v1/organization/invitations/[invitationId]/route";
import { getPrisma } from "@/lib/db";
import { Changed, guardedWrite, lockOrganization, versionGuard } from "@/lib/services/organization-lock";
import { call } from "../helpers/api";
import { countStatements, createOrg, onRequestPath, type TestOrg, unprepared } from "../helpers/fixtures";
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

const isKeyAuth = (s: string) => s.includes('"keyHash"');

describe("round trips", () => {
  it("create: at most 4 including auth and transaction control, the same for 1 and 100 emails", async () => {
    const one = await countStatements(() => invite(["solo@example.com"]));
    expect(one.result.body.data.invitations).toHaveLength(1);
    const hundred = await countStatements(() => invite(Array.from({ length: 100 }, (_, i) => `bulk${i}@example.com`)));
    expect(hundred.result.body.data.invitations).toHaveLength(100);
    expect(onRequestPath(hundred.all)).toHaveLength(onRequestPath(one.all).length);
    expect(onRequestPath(one.all).length, onRequestPath(one.all).join("\n---\n")).toBeLessThanOrEqual(4);
    expect(onRequestPath(one.all).filter((s) => /^\s*(BEGIN|COMMIT)/i.test(s))).toEqual([]);
    expect(unprepared(onRequestPath(hundred.all))).toEqual([]);
  });

  it("create that renews expired and declined invitations: the same round trips", async () => {
    await invite(["old1@example.com", "old2@example.com"]);
    await getPrisma().invitation.updateMany({ where: { email: "old1@example.com" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await getPrisma().invitation.updateMany({ where: { email: "old2@example.com" }, data: { status: "DECLINED" } });
    const renewing = await countStatements(() => invite(["old1@example.com", "old2@example.com", "new@example.com"]));
    expect(renewing.result.body.data.invitations.map((i: { email: string }) => i.email)).toEqual([
      "old1@example.com", "old2@example.com", "new@example.com",
    ]);
    expect(onRequestPath(renewing.all).length).toBeLessThanOrEqual(4);
    // Each renewed invitation's old queued email is withdrawn; one new email each.
    const mail = await getPrisma().emailOutbox.findMany({ where: { recipient: { in: ["old1@example.com", "old2@example.com"] } } });
    expect(mail.map((m) => m.status).sort()).toEqual(["CANCELLED", "CANCELLED", "PENDING", "PENDING"]);
  });

  it("resend and revoke: at most 4 each", async () => {
    const created = await invite(["r@example.com", "v@example.com"]);
    const [r, v] = created.body.data.invitations as { id: number }[];
    await getPrisma().invitation.update({ where: { id: r!.id }, data: { lastSentAt: new Date(Date.now() - 3_600_000) } });
    const resent = await countStatements(() => call(member, "PUT", { key: org.key, params: { invitationId: String(r!.id) } }));
    expect(resent.result.status).toBe(200);
    expect(onRequestPath(resent.all).length, onRequestPath(resent.all).join("\n---\n")).toBeLessThanOrEqual(4);
    const revoked = await countStatements(() => call(member, "DELETE", { key: org.key, params: { invitationId: String(v!.id) } }));
    expect(revoked.result.status).toBe(200);
    expect(onRequestPath(revoked.all).length).toBeLessThanOrEqual(4);
    expect(unprepared(onRequestPath([...resent.all, ...revoked.all]))).toEqual([]);
  });

  it("lists with one query besides authentication", async () => {
    await invite(Array.from({ length: 20 }, (_, i) => `l${i}@example.com`));
    const listed = await countStatements(() => call(collection, "GET", { key: org.key }));
    expect(listed.result.body.data.invitations).toHaveLength(20);
    expect(onRequestPath(listed.all).filter((s) => !isKeyAuth(s))).toHaveLength(1);
    expect(unprepared(onRequestPath(listed.all))).toEqual([]);
  });
});

describe("guarded writes", () => {
  it("run again when another organization write got in between, and hold the lock after three conflicts", async () => {
    let attempts = 0;
    const answer = await guardedWrite(async (db) => {
      attempts++;
      const [read] = await db.$queryRaw<{ writeVersion: number }[]>`SELECT "writeVersion" FROM "Organization" WHERE id = ${org.id}`;
      // Outside the lock another organization write commits between this read and the write.
      if (db === getPrisma()) await getPrisma().$transaction((tx) => lockOrganization(tx, org.id));
      const [guarded] = await db.$queryRaw<{ id: string }[]>`WITH ${versionGuard(org.id, read!.writeVersion)} SELECT id FROM guard`;
      return guarded ? `applied on attempt ${attempts}` : new Changed(org.id);
    });
    expect(answer).toBe("applied on attempt 4");
    // Three optimistic conflicts, three interfering writes, one locked attempt and its write.
    expect((await getPrisma().organization.findUniqueOrThrow({ where: { id: org.id } })).writeVersion).toBe(5);
  });
});
