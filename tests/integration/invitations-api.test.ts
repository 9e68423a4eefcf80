import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as collection from "@/app/v1/organization/invitations/route";
import * as item from "@/app/v1/organization/invitations/[invitationId]/route";
import { open } from "@/lib/crypto/secret-box";
import { getPrisma } from "@/lib/db";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { reloadEnv } from "@/lib/env";
import { acceptInvitationById, hashInviteToken } from "@/lib/services/invitations";
import { OUTBOX_SECRET_PURPOSE } from "@/lib/services/invitations/outbox";
import { call } from "../helpers/api";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

const DAY = 86_400_000;
let org: TestOrg;

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  reloadEnv();
});

const invite = (body: unknown, key = org.key) => call(collection, "POST", { key, body });
const list = (query?: Record<string, string>, key = org.key) => call(collection, "GET", { key, query });
const resend = (id: number | string, key = org.key) => call(item, "PUT", { key, params: { invitationId: String(id) } });
const revoke = (id: number | string, key = org.key) => call(item, "DELETE", { key, params: { invitationId: String(id) } });

function rows() {
  return getPrisma().invitation.findMany({ where: { organizationId: org.id }, orderBy: { id: "asc" } });
}

describe("POST /v1/organization/invitations", () => {
  it("creates PENDING invitations with the Member role, an outbox email and an audit event each", async () => {
    const res = await invite({ emails: ["  Alice@Example.COM ", "bob@example.com", "alice@example.com"] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, deprecated: false });
    const { invitations, skipped } = res.body.data;
    expect(skipped).toEqual([]);
    expect(invitations.map((i: any) => i.email)).toEqual(["alice@example.com", "bob@example.com"]);
    for (const i of invitations) {
      expect(i).toEqual({
        id: expect.any(Number),
        email: expect.any(String),
        status: "PENDING",
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        organizationRoleId: SYSTEM_ROLES.Member,
        expires_at: expect.any(String),
        last_sent_at: i.created_at,
        email_status: "QUEUED",
      });
      expect(Date.parse(i.expires_at) - Date.parse(i.created_at)).toBe(7 * DAY);
    }
    const stored = await rows();
    expect(stored).toHaveLength(2);
    const outbox = await getPrisma().emailOutbox.findMany({ orderBy: { recipient: "asc" } });
    expect(outbox.map((o) => [o.recipient, o.kind, o.status, o.invitationId])).toEqual([
      ["alice@example.com", "invitation", "PENDING", stored[0]!.id],
      ["bob@example.com", "invitation", "PENDING", stored[1]!.id],
    ]);
    // The sealed link opens to /invite/<token> whose hash is the stored one.
    for (const message of outbox) {
      const { inviteUrl } = JSON.parse(open(message.secret!, OUTBOX_SECRET_PURPOSE));
      const token = /\/invite\/([A-Za-z0-9_-]{43})$/.exec(inviteUrl)![1]!;
      const row = stored.find((r) => r.id === message.invitationId)!;
      expect(hashInviteToken(token)).toBe(row.tokenHash);
      expect(message.payload).toMatchObject({ organizationName: "Acme", roleName: "Member" });
    }
    const audit = await getPrisma().auditEvent.findMany({ where: { action: "org.invitations.create" } });
    expect(audit.map((a) => [a.actorType, a.actorId, a.targetType, a.organizationId]).sort()).toEqual([
      ["apiKey", String(org.apiKeyId), "invitation", org.id],
      ["apiKey", String(org.apiKeyId), "invitation", org.id],
    ]);
    expect(audit.map((a) => a.targetId).sort()).toEqual(stored.map((r) => String(r.id)).sort());
    expect(audit.every((a) => a.requestId === res.headers.get("x-request-id"))).toBe(true);
  });

  it("uses the role asked for, including the org's custom roles", async () => {
    const admin = await invite({ emails: ["a@example.com"], organizationRoleId: SYSTEM_ROLES.Admin });
    expect(admin.body.data.invitations[0].organizationRoleId).toBe(SYSTEM_ROLES.Admin);
    const custom = await getPrisma().role.create({ data: { organizationId: org.id, name: "Reviewer" } });
    const res = await invite({ emails: ["b@example.com"], organizationRoleId: custom.id });
    expect(res.body.data.invitations[0].organizationRoleId).toBe(custom.id);
  });

  it("rejects the Owner role with 403 and unknown or foreign roles with 422, writing nothing", async () => {
    const owner = await invite({ emails: ["a@example.com"], organizationRoleId: SYSTEM_ROLES.Owner });
    expect(owner.status).toBe(403);
    expect(owner.body).toMatchObject({ success: false, code: "forbidden", error: expect.stringContaining("Owner") });

    const unknown = await invite({ emails: ["a@example.com"], organizationRoleId: "5f0c6d3e-8d4b-4c1a-9a51-2f1f7d9e0b11" });
    expect(unknown.status).toBe(422);
    const other = await createOrg();
    const foreignRole = await getPrisma().role.create({ data: { organizationId: other.id, name: "Theirs" } });
    const foreign = await invite({ emails: ["a@example.com"], organizationRoleId: foreignRole.id });
    expect(foreign.status).toBe(422);
    expect(await rows()).toEqual([]);
    expect(await getPrisma().emailOutbox.count()).toBe(0);
  });

  it("rejects invalid addresses by name before writing anything", async () => {
    const res = await invite({ emails: ["good@example.com", "not-an-email", "x@", "good2@example.com"] });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("Invalid email addresses: not-an-email, x@");
    expect(await rows()).toEqual([]);
  });

  it("needs 1 to 100 emails", async () => {
    expect((await invite({ emails: [] })).status).toBe(400);
    const many = Array.from({ length: 101 }, (_, i) => `u${i}@example.com`);
    const tooMany = await invite({ emails: many });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toContain("at most 100");
    const hundred = await invite({ emails: many.slice(0, 100) });
    expect(hundred.body.data.invitations).toHaveLength(100);
  });

  it("skips members and live pending invitations, reporting why", async () => {
    await addMember(org.id, "member@example.com");
    await invite({ emails: ["pending@example.com"] });
    const res = await invite({ emails: ["MEMBER@example.com", "pending@example.com", "new@example.com"] });
    expect(res.body.data.invitations.map((i: any) => i.email)).toEqual(["new@example.com"]);
    expect(res.body.data.skipped).toEqual([
      { email: "member@example.com", reason: "ALREADY_MEMBER" },
      { email: "pending@example.com", reason: "ALREADY_INVITED" },
    ]);
    expect(await rows()).toHaveLength(2);
  });

  it("renews an expired pending or a declined invitation: same id, new token, new expiry, email again", async () => {
    const first = (await invite({ emails: ["late@example.com", "no@example.com"] })).body.data.invitations;
    const [late, no] = first;
    await getPrisma().invitation.update({ where: { id: late.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await getPrisma().invitation.update({ where: { id: no.id }, data: { status: "DECLINED" } });
    const before = await rows();

    const res = await invite({ emails: ["late@example.com", "no@example.com"], organizationRoleId: SYSTEM_ROLES.Admin });
    expect(res.body.data.skipped).toEqual([]);
    const renewed = res.body.data.invitations;
    expect(renewed.map((i: any) => [i.id, i.status, i.organizationRoleId])).toEqual([
      [late.id, "PENDING", SYSTEM_ROLES.Admin],
      [no.id, "PENDING", SYSTEM_ROLES.Admin],
    ]);
    const after = await rows();
    expect(after).toHaveLength(2);
    for (const row of after) {
      const old = before.find((b) => b.id === row.id)!;
      expect(row.tokenHash).not.toBe(old.tokenHash);
      expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * DAY);
    }
    // Each renewal queued a new message; the earlier ones were withdrawn.
    const outbox = await getPrisma().emailOutbox.findMany({ where: { status: "PENDING" } });
    expect(outbox).toHaveLength(2);
    expect(await getPrisma().emailOutbox.count({ where: { status: "CANCELLED", secret: null } })).toBe(2);
  });

  it("is refused on the Free plan and after a trial ends, but allowed during a trial", async () => {
    const message = "Inviting members is not available on the Free plan outside of the trial period";
    const free = await createOrg({ plan: "FREE" });
    expect((await invite({ emails: ["a@example.com"] }, free.key)).body).toMatchObject({ error: message, code: "forbidden" });
    const ended = await createOrg({ plan: "TRIAL", trialEndsAt: new Date(Date.now() - DAY) });
    const res = await invite({ emails: ["a@example.com"] }, ended.key);
    expect([res.status, res.body.error]).toEqual([403, message]);
    const trial = await createOrg({ plan: "TRIAL", trialEndsAt: new Date(Date.now() + DAY) });
    expect((await invite({ emails: ["a@example.com"] }, trial.key)).status).toBe(200);
    expect(await getPrisma().invitation.count()).toBe(1);
  });

  it("enforces the seat limit: members plus live pending invitations", async () => {
    const small = await createOrg({ seatLimit: 3 }); // the owner holds one seat
    expect((await invite({ emails: ["a@example.com"] }, small.key)).status).toBe(200);
    const over = await invite({ emails: ["b@example.com", "c@example.com"] }, small.key);
    expect(over.status).toBe(403);
    expect(over.body.error).toMatch(/Seat limit reached: 2 of 3 seats are used/);
    expect(await getPrisma().invitation.count({ where: { organizationId: small.id } })).toBe(1);
    expect((await invite({ emails: ["b@example.com"] }, small.key)).status).toBe(200);
  });

  it("counts a resent expired invitation as taking a seat again, and re-checks seats when one is accepted", async () => {
    const small = await createOrg({ seatLimit: 3 }); // the owner holds one seat
    const [a, b] = (await invite({ emails: ["a@example.com", "b@example.com"] }, small.key)).body.data.invitations as { id: number }[];
    // a expires (frees its seat), c takes it: resending a would exceed the limit.
    await getPrisma().invitation.update({ where: { id: a!.id }, data: { expiresAt: new Date(Date.now() - 1000), lastSentAt: new Date(Date.now() - DAY) } });
    expect((await invite({ emails: ["c@example.com"] }, small.key)).status).toBe(200);
    const refused = await resend(a!.id, small.key);
    expect([refused.status, refused.body.error]).toEqual([403, expect.stringMatching(/^Seat limit reached: 3 of 3 seats are used/)]);
    expect((await getPrisma().invitation.findUniqueOrThrow({ where: { id: a!.id } })).expiresAt.getTime()).toBeLessThan(Date.now());
    // The limit lowered below what is in use: accepting b is refused until a seat is freed.
    await getPrisma().organization.update({ where: { id: small.id }, data: { seatLimit: 2 } });
    const bUser = await getPrisma().user.create({ data: { email: "b@example.com", emailVerified: new Date() } });
    await expect(acceptInvitationById({ userId: bUser.id, invitationId: b!.id, requestId: "seats" })).rejects.toMatchObject({
      message: expect.stringMatching(/has no free seat: its seat limit of 2 is below the 3 seats used/),
    });
    expect(await getPrisma().membership.count({ where: { organizationId: small.id, userId: bUser.id } })).toBe(0);
    expect((await getPrisma().invitation.findUniqueOrThrow({ where: { id: b!.id } })).status).toBe("PENDING");
  });

  it("reads the expiry from INVITATION_TTL_DAYS", async () => {
    vi.stubEnv("INVITATION_TTL_DAYS", "2");
    reloadEnv();
    const [i] = (await invite({ emails: ["a@example.com"] })).body.data.invitations;
    expect(Date.parse(i.expires_at) - Date.parse(i.created_at)).toBe(2 * DAY);
  });
});

describe("GET /v1/organization/invitations", () => {
  it("lists PENDING and DECLINED newest first; accepted and revoked are hidden; filters work", async () => {
    const created = (await invite({ emails: ["a@example.com", "b@example.com", "c@example.com", "d@example.com"] })).body
      .data.invitations;
    const ids = created.map((i: any) => i.id);
    await getPrisma().invitation.update({ where: { id: ids[0] }, data: { createdAt: new Date(Date.now() - 3000) } });
    await getPrisma().invitation.update({ where: { id: ids[1] }, data: { status: "DECLINED", createdAt: new Date(Date.now() - 2000) } });
    await getPrisma().invitation.update({ where: { id: ids[2] }, data: { status: "ACCEPTED" } });
    await revoke(ids[3]);

    const all = await list();
    expect(all.status).toBe(200);
    expect(all.body.data.invitations.map((i: any) => [i.email, i.status])).toEqual([
      ["b@example.com", "DECLINED"],
      ["a@example.com", "PENDING"],
    ]);
    expect((await list({ status: "DECLINED" })).body.data.invitations.map((i: any) => i.email)).toEqual(["b@example.com"]);
    expect((await list({ email: "A@EX" })).body.data.invitations.map((i: any) => i.email)).toEqual(["a@example.com"]);
    expect((await list({ status: "ACCEPTED" })).status).toBe(400);
    // The email filter is a plain substring: LIKE wildcards in it match only themselves.
    expect((await list({ email: "%" })).body.data.invitations).toEqual([]);
    expect((await list({ email: "_@" })).body.data.invitations).toEqual([]);
  });

  it("answers an empty list for an org without invitations", async () => {
    expect((await list()).body).toEqual({ success: true, data: { invitations: [] }, deprecated: false });
  });
});

describe("PUT /v1/organization/invitations/{id} (resend)", () => {
  async function createOne(email = "a@example.com") {
    return (await invite({ emails: [email] })).body.data.invitations[0];
  }

  it("rotates the token, resets the expiry and queues the email, after the cooldown", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const created = await createOne();
    const before = (await rows())[0]!;

    const early = await resend(created.id);
    expect(early.status).toBe(429);
    expect(early.headers.get("retry-after")).toBe("60");
    expect(early.body.code).toBe("rate_limited");

    vi.setSystemTime(Date.now() + 61_000);
    const res = await resend(created.id);
    expect(res.status).toBe(200);
    expect(res.body.data.invitation).toMatchObject({ id: created.id, status: "PENDING", email_status: "QUEUED" });
    const after = (await rows())[0]!;
    expect(after.tokenHash).not.toBe(before.tokenHash);
    expect(after.expiresAt.getTime()).toBe(after.lastSentAt.getTime() + 7 * DAY);
    expect(after.lastSentAt.getTime()).toBeGreaterThan(before.lastSentAt.getTime());
    const outbox = await getPrisma().emailOutbox.findMany({ orderBy: { createdAt: "asc" } });
    expect(outbox.map((o) => o.status)).toEqual(["CANCELLED", "PENDING"]);
    expect(await getPrisma().auditEvent.count({ where: { action: "org.invitations.resend", targetId: String(created.id) } })).toBe(1);

    // The cooldown counts from this send too.
    vi.setSystemTime(Date.now() + 30_000);
    const again = await resend(created.id);
    expect([again.status, again.headers.get("retry-after")]).toEqual([429, "30"]);
  });

  it("honours INVITATION_RESEND_COOLDOWN_SECONDS and works on an expired pending invitation", async () => {
    vi.stubEnv("INVITATION_RESEND_COOLDOWN_SECONDS", "0");
    reloadEnv();
    const created = await createOne();
    await getPrisma().invitation.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await resend(created.id);
    expect(res.status).toBe(200);
    expect(Date.parse(res.body.data.invitation.expires_at)).toBeGreaterThan(Date.now());
  });

  it("is a 409 for declined or accepted invitations, and 404 for revoked, unknown or foreign ones", async () => {
    vi.stubEnv("INVITATION_RESEND_COOLDOWN_SECONDS", "0");
    reloadEnv();
    const a = await createOne("a@example.com");
    const b = await createOne("b@example.com");
    const c = await createOne("c@example.com");
    await getPrisma().invitation.update({ where: { id: a.id }, data: { status: "DECLINED" } });
    await getPrisma().invitation.update({ where: { id: b.id }, data: { status: "ACCEPTED" } });
    await revoke(c.id);
    expect((await resend(a.id)).status).toBe(409);
    expect((await resend(b.id)).status).toBe(409);
    expect((await resend(c.id)).status).toBe(404);
    expect((await resend(999999)).status).toBe(404);
    expect((await resend("abc")).body).toMatchObject({ code: "validation_failed", error: "invitationId: must be a positive integer" });
  });
});

describe("DELETE /v1/organization/invitations/{id} (revoke)", () => {
  it("keeps the row as REVOKED, hides it, cancels its email and audits; a second revoke is 404", async () => {
    const [a] = (await invite({ emails: ["a@example.com"] })).body.data.invitations;
    const res = await revoke(a.id);
    expect(res.body).toEqual({ success: true, data: { id: a.id, deleted: true }, deprecated: false });
    const row = (await rows())[0]!;
    expect(row.status).toBe("REVOKED");
    expect(row.revokedAt).toBeInstanceOf(Date);
    expect((await list()).body.data.invitations).toEqual([]);
    expect((await getPrisma().emailOutbox.findFirstOrThrow()).status).toBe("CANCELLED");
    expect(await getPrisma().auditEvent.count({ where: { action: "org.invitations.revoke" } })).toBe(1);
    expect((await revoke(a.id)).status).toBe(404);
    // The email can be invited again: the revoked row no longer blocks it.
    expect((await invite({ emails: ["a@example.com"] })).body.data.invitations[0].id).not.toBe(a.id);
  });

  it("revokes declined invitations and refuses accepted ones with 409", async () => {
    const [a, b] = (await invite({ emails: ["a@example.com", "b@example.com"] })).body.data.invitations;
    await getPrisma().invitation.update({ where: { id: a.id }, data: { status: "DECLINED" } });
    await getPrisma().invitation.update({ where: { id: b.id }, data: { status: "ACCEPTED" } });
    expect((await revoke(a.id)).status).toBe(200);
    const accepted = await revoke(b.id);
    expect([accepted.status, accepted.body.code]).toEqual([409, "conflict"]);
  });
});

describe("another organization's invitations", () => {
  it("are 404 on every route and stay untouched", async () => {
    const [theirs] = (await invite({ emails: ["a@example.com"] })).body.data.invitations;
    const snapshot = await rows();
    const outsider = await createOrg();
    expect((await resend(theirs.id, outsider.key)).status).toBe(404);
    expect((await revoke(theirs.id, outsider.key)).status).toBe(404);
    expect((await list(undefined, outsider.key)).body.data.invitations).toEqual([]);
    // Inviting the same email from the other org is its own, separate invitation.
    expect((await invite({ emails: ["a@example.com"] }, outsider.key)).body.data.invitations).toHaveLength(1);
    expect(await rows()).toEqual(snapshot);
    expect(await getPrisma().auditEvent.count({ where: { organizationId: org.id, action: { not: "org.invitations.create" } } })).toBe(0);
  });
});
