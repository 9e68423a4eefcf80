// The invitee's side: looking up a link (reads only), accepting and declining by token or by id,
// the pending list of a signed-in user, the inviter's "accepted" email, and racing accepts.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as collection from "@/app/v1/organization/invitations/route";
import { getPrisma } from "@/lib/db";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { runOutboxOnce } from "@/lib/email/outbox-worker";
import { mailboxTransport } from "@/lib/email/transport";
import { reloadEnv } from "@/lib/env";
import type { ServiceContext } from "@/lib/services/context";
import {
  acceptInvitation, acceptInvitationById, createInvitations, declineInvitation, declineInvitationById,
  getInvitationByToken, listPendingInvitationsForUser, NOT_VALID_MESSAGE, resendInvitation, revokeInvitation,
} from "@/lib/services/invitations";
import { call } from "../helpers/api";
import { addMember, countStatements, createOrg, type TestOrg, unprepared } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

let org: TestOrg;
let owner: ServiceContext;
const requestId = "req-respond";
const keyActor = (o: TestOrg): ServiceContext => ({ actor: { type: "apiKey", apiKeyId: o.apiKeyId, organizationId: o.id, creatorUserId: null }, requestId: "r1" });

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
  owner = { actor: { type: "user", userId: org.ownerId, organizationId: org.id }, requestId: "r1" };
});
afterEach(() => void (vi.unstubAllEnvs(), reloadEnv()));

/** Invites one email and answers its id and real link token. */
async function inviteOne(email: string, ctx = owner, organizationRoleId?: string) {
  const { invitations, tokens } = await createInvitations(ctx, { emails: [email], organizationRoleId });
  const id = invitations[0]!.id;
  return { id, token: tokens.get(id)! };
}

const newUser = (email: string, verified = true) =>
  getPrisma().user.create({ data: { email, emailVerified: verified ? new Date(Date.now() - 60_000) : null } });
const invitation = (id: number) => getPrisma().invitation.findUniqueOrThrow({ where: { id } });
const expire = (id: number) => getPrisma().invitation.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
const notValid = { code: "not_found", status: 404, message: NOT_VALID_MESSAGE };

/** Every row an answer could touch, to show that a refusal or a lookup wrote nothing. */
async function snapshot() {
  const p = getPrisma();
  const byId = { orderBy: { id: "asc" as const } };
  const memberships = p.membership.findMany({ orderBy: [{ organizationId: "asc" }, { userId: "asc" }] });
  const [invitations, users, outbox] = [p.invitation.findMany(byId), p.user.findMany(byId), p.emailOutbox.findMany(byId)];
  return Promise.all([invitations, memberships, users, outbox, p.auditEvent.findMany(byId)]);
}

describe("getInvitationByToken", () => {
  it("answers every field of a live invitation with one query, and writes nothing", async () => {
    const { id, token } = await inviteOne("ada@example.com", owner, SYSTEM_ROLES.Admin);
    const before = await snapshot();
    const { result, statements } = await countStatements(() => getInvitationByToken(token));
    expect(result).toEqual({
      id, organizationId: org.id, organizationName: "Acme", projectId: null, projectName: null,
      email: "ada@example.com", roleId: SYSTEM_ROLES.Admin,
      roleName: "Admin", inviterName: expect.stringMatching(/^Owner /), expiresAt: (await invitation(id)).expiresAt, status: "PENDING",
    });
    expect(statements).toHaveLength(1);
    expect(await snapshot()).toEqual(before);
  });

  it("is null for unknown, malformed, expired, revoked, accepted and declined tokens; none can be answered", async () => {
    const emails = ["e@x.io", "r@x.io", "a@x.io", "d@x.io"];
    const rows = await Promise.all(emails.map((e) => inviteOne(e, keyActor(org))));
    const users = await Promise.all(emails.map((e) => newUser(e, true)));
    const [expired, revoked, accepted, declined] = rows;
    await expire(expired!.id);
    await revokeInvitation(keyActor(org), revoked!.id);
    await acceptInvitation({ userId: users[2]!.id, token: accepted!.token, requestId });
    await declineInvitation({ userId: users[3]!.id, token: declined!.token, requestId });
    const before = await snapshot();
    for (const [i, r] of rows.entries()) {
      expect(await getInvitationByToken(r.token)).toBeNull();
      await expect(acceptInvitation({ userId: users[i]!.id, token: r.token, requestId })).rejects.toMatchObject(notValid);
      await expect(declineInvitationById({ userId: users[i]!.id, invitationId: r.id, requestId })).rejects.toMatchObject(notValid);
    }
    expect(await getInvitationByToken("A".repeat(43))).toBeNull();
    // Malformed tokens never reach the database.
    for (const bad of ["", "short", "A".repeat(42), "A".repeat(44), `${"A".repeat(42)}=`, `${"A".repeat(42)}/`]) {
      const { result, statements } = await countStatements(() => getInvitationByToken(bad));
      expect([result, statements]).toEqual([null, []]);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("acceptInvitation", () => {
  it("refuses an unverified account even with the real link (the inviter may have copied it), writing nothing", async () => {
    const { token } = await inviteOne("ada@example.com", owner, SYSTEM_ROLES.Admin);
    const ada = await newUser("ada@example.com", false);
    const before = await snapshot();
    for (const answer of [acceptInvitation, declineInvitation]) {
      await expect(answer({ userId: ada.id, token, requestId })).rejects.toMatchObject({
        code: "forbidden",
        message: expect.stringMatching(/^Verify your email address first/),
      });
    }
    expect(await snapshot()).toEqual(before);
  });

  it("joins with the invited role, withdraws the queued email, notifies the inviter, audits; never verifies an address", async () => {
    const { id, token } = await inviteOne("ada@example.com", owner, SYSTEM_ROLES.Admin);
    const ada = await newUser("ada@example.com");
    const result = await acceptInvitation({ userId: ada.id, token, requestId });
    expect(result).toEqual({ invitationId: id, organizationId: org.id, organizationName: "Acme", roleName: "Admin", projectId: null, projectName: null });
    const p = getPrisma();
    expect(await p.membership.findMany({ where: { userId: ada.id } })).toMatchObject([{ organizationId: org.id, roleId: SYSTEM_ROLES.Admin }]);
    const row = await invitation(id);
    expect([row.status, row.respondedAt]).toEqual(["ACCEPTED", expect.any(Date)]);
    expect((await p.user.findUniqueOrThrow({ where: { id: ada.id } })).emailVerified).toEqual(ada.emailVerified);
    const outbox = await p.emailOutbox.findMany({ orderBy: { createdAt: "asc" } });
    const ownerEmail = (await p.user.findUniqueOrThrow({ where: { id: org.ownerId } })).email;
    expect(outbox.map((o) => [o.kind, o.status, o.secret, o.recipient, o.invitationId, o.organizationId])).toEqual([
      ["invitation", "CANCELLED", null, "ada@example.com", id, org.id],
      ["invitation-accepted", "PENDING", null, ownerEmail, null, org.id],
    ]);
    const membersUrl = "http://localhost:3000/settings/members";
    expect(outbox[1]!.payload).toEqual({ organizationName: "Acme", projectName: null, inviteeEmail: "ada@example.com", roleName: "Admin", membersUrl });
    const audit = await p.auditEvent.findMany({ where: { action: "org.invitations.accept" } });
    expect(audit.map((a) => [a.organizationId, a.actorType, a.actorId, a.targetType, a.targetId, a.requestId])).toEqual([
      [org.id, "user", ada.id, "invitation", String(id), requestId],
    ]);
  });

  it("matches the email case-insensitively; an API-key invitation notifies nobody", async () => {
    const { token } = await inviteOne("Ada.Lovelace@Example.com", keyActor(org));
    const ada = await newUser("ADA.LOVELACE@example.COM");
    expect((await acceptInvitation({ userId: ada.id, token, requestId })).organizationId).toBe(org.id);
    expect(await getPrisma().membership.count({ where: { organizationId: org.id } })).toBe(2);
    expect(await getPrisma().emailOutbox.count({ where: { kind: "invitation-accepted" } })).toBe(0);
  });

  it("only marks the invitation accepted for someone who is already a member", async () => {
    const { id, token } = await inviteOne("ada@example.com", owner, SYSTEM_ROLES.Admin);
    const ada = await addMember(org.id, "ada@example.com");
    await acceptInvitation({ userId: ada.id, token, requestId });
    expect((await invitation(id)).status).toBe("ACCEPTED");
    expect(await getPrisma().membership.findMany({ where: { userId: ada.id } })).toMatchObject([{ roleId: SYSTEM_ROLES.Member }]);
    expect(await getPrisma().emailOutbox.count({ where: { kind: "invitation-accepted" } })).toBe(0);
  });

  it("works once: a second accept gets the uniform answer and no second membership", async () => {
    const { id, token } = await inviteOne("ada@example.com");
    const ada = await newUser("ada@example.com");
    await acceptInvitation({ userId: ada.id, token, requestId });
    const before = await snapshot();
    for (const t of [token, "B".repeat(43), "not a token"]) {
      await expect(acceptInvitation({ userId: ada.id, token: t, requestId })).rejects.toMatchObject(notValid);
    }
    await expect(acceptInvitationById({ userId: ada.id, invitationId: id, requestId })).rejects.toMatchObject(notValid);
    await expect(declineInvitation({ userId: ada.id, token, requestId })).rejects.toMatchObject(notValid);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses another user, naming both addresses, and writes nothing", async () => {
    const { token } = await inviteOne("ada@example.com");
    const eve = await newUser("eve@example.com");
    const before = await snapshot();
    for (const respond of [acceptInvitation, declineInvitation]) {
      const message = "This invitation was sent to ada@example.com; you are signed in as eve@example.com";
      await expect(respond({ userId: eve.id, token, requestId })).rejects.toMatchObject({ code: "forbidden", message });
    }
    expect(await snapshot()).toEqual(before);
  });

  it("uses the seat the invitation holds, but refuses when the limit was lowered below usage", async () => {
    const small = await createOrg({ name: "Small", seatLimit: 3 }); // owner + 2 invitations fill it
    const ctx = keyActor(small);
    const a = await inviteOne("a@example.com", ctx);
    const b = await inviteOne("b@example.com", ctx);
    await acceptInvitation({ userId: (await newUser("a@example.com")).id, token: a.token, requestId });

    await getPrisma().organization.update({ where: { id: small.id }, data: { seatLimit: 2 } });
    const bob = await newUser("b@example.com");
    const before = await snapshot();
    const message = expect.stringContaining("seat limit of 2 is below the 3 seats used");
    const answer = acceptInvitation({ userId: bob.id, token: b.token, requestId });
    await expect(answer).rejects.toMatchObject({ code: "forbidden", message });
    expect(await snapshot()).toEqual(before);
    // Declining needs no seat.
    await declineInvitation({ userId: bob.id, token: b.token, requestId });
  });

  it("after a resend only the new link works", async () => {
    vi.stubEnv("INVITATION_RESEND_COOLDOWN_SECONDS", "0");
    reloadEnv();
    const { id, token: old } = await inviteOne("ada@example.com");
    const { token: fresh } = await resendInvitation(owner, id);
    const ada = await newUser("ada@example.com");
    expect(await getInvitationByToken(old)).toBeNull();
    await expect(acceptInvitation({ userId: ada.id, token: old, requestId })).rejects.toMatchObject(notValid);
    expect((await getInvitationByToken(fresh))?.id).toBe(id);
    await acceptInvitation({ userId: ada.id, token: fresh, requestId });
    expect((await invitation(id)).status).toBe("ACCEPTED");
  });

  it("the inviter's message renders and goes out; the withdrawn invitation email does not", async () => {
    const { token } = await inviteOne("ada@example.com");
    await acceptInvitation({ userId: (await newUser("ada@example.com")).id, token, requestId });
    const summary = await runOutboxOnce({ transport: mailboxTransport(), from: "x@y.z", maxAttempts: 3 });
    expect(summary).toMatchObject({ claimed: 1, sent: 1, failed: 0 });
    const mail = await getPrisma().devMailboxMessage.findMany();
    const ownerEmail = (await getPrisma().user.findUniqueOrThrow({ where: { id: org.ownerId } })).email;
    expect(mail.map((m) => [m.kind, m.to])).toEqual([["invitation-accepted", ownerEmail]]);
    expect(mail[0]!.subject).toBe("ada@example.com accepted your invitation to Acme");
    expect(mail[0]!.text).toContain("http://localhost:3000/settings/members");
  });
});

describe("declineInvitation", () => {
  it("marks DECLINED, withdraws the email, audits, and admins see it as DECLINED; re-inviting renews it", async () => {
    const { id, token } = await inviteOne("ada@example.com");
    const ada = await newUser("ada@example.com");
    const answer = await declineInvitation({ userId: ada.id, token, requestId });
    expect(answer).toEqual({ invitationId: id, organizationId: org.id, organizationName: "Acme", roleName: "Member", projectId: null, projectName: null });
    const row = await invitation(id);
    expect([row.status, row.respondedAt]).toEqual(["DECLINED", expect.any(Date)]);
    expect(await getPrisma().membership.count({ where: { userId: ada.id } })).toBe(0);
    expect((await getPrisma().emailOutbox.findFirstOrThrow()).status).toBe("CANCELLED");
    const audit = await getPrisma().auditEvent.findMany({ where: { action: "org.invitations.decline" } });
    expect(audit.map((a) => [a.actorType, a.actorId, a.targetId, a.requestId])).toEqual([["user", ada.id, String(id), requestId]]);

    const listed = await call(collection, "GET", { key: org.key });
    expect(listed.body.data.invitations.map((i: any) => [i.id, i.status])).toEqual([[id, "DECLINED"]]);
    const again = await inviteOne("ada@example.com", keyActor(org));
    expect(again.id).toBe(id);
    expect((await getInvitationByToken(again.token))?.status).toBe("PENDING");
  });
});

describe("by id (from the signed-in user's pending list)", () => {
  it("applies the same rules, needs a verified email, and never tells whose invitation an id is", async () => {
    const a = await inviteOne("ada@example.com", owner, SYSTEM_ROLES.Admin);
    const d = await inviteOne("ada@other.example", keyActor(org));
    const unverified = await newUser("ada@other.example", false);
    const unverifiedAnswer = declineInvitationById({ userId: unverified.id, invitationId: d.id, requestId });
    await expect(unverifiedAnswer).rejects.toMatchObject({ code: "forbidden", message: expect.stringMatching(/^Verify your email/) });
    const eve = await newUser("eve@example.com", true);
    const before = await snapshot();
    await expect(acceptInvitationById({ userId: eve.id, invitationId: a.id, requestId })).rejects.toMatchObject(notValid);
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 40, 999_999]) {
      await expect(acceptInvitationById({ userId: eve.id, invitationId: bad, requestId })).rejects.toMatchObject(notValid);
    }
    expect(await snapshot()).toEqual(before);

    const ada = await newUser("ada@example.com", true);
    expect(await acceptInvitationById({ userId: ada.id, invitationId: a.id, requestId })).toMatchObject({ roleName: "Admin" });
    expect(await getPrisma().emailOutbox.count({ where: { kind: "invitation-accepted" } })).toBe(1);
    await expect(declineInvitationById({ userId: ada.id, invitationId: a.id, requestId })).rejects.toMatchObject(notValid);

    await getPrisma().user.update({ where: { id: unverified.id }, data: { emailVerified: new Date() } });
    await declineInvitationById({ userId: unverified.id, invitationId: d.id, requestId });
    expect((await invitation(d.id)).status).toBe("DECLINED");
  });
});

describe("listPendingInvitationsForUser", () => {
  it("lists live pending invitations across orgs, newest first, only for a verified email", async () => {
    const [globex, initech, umbrella] = await Promise.all(["Globex", "Initech", "Umbrella"].map((name) => createOrg({ name })));
    const first = await inviteOne("ada@example.com", owner, SYSTEM_ROLES.Admin);
    const second = await inviteOne("ada@example.com", keyActor(globex!));
    await getPrisma().invitation.update({ where: { id: first.id }, data: { createdAt: new Date(Date.now() - 5000) } });
    const revoked = await inviteOne("ada@example.com", keyActor(initech!));
    await revokeInvitation(keyActor(initech!), revoked.id);
    await expire((await inviteOne("ada@example.com", keyActor(umbrella!))).id);
    await inviteOne("someone-else@example.com");

    const ada = await newUser("ada@example.com", false);
    expect(await listPendingInvitationsForUser(ada.id)).toEqual([]);
    expect(await listPendingInvitationsForUser("no-such-user")).toEqual([]);
    await getPrisma().user.update({ where: { id: ada.id }, data: { emailVerified: new Date() } });
    const list = await listPendingInvitationsForUser(ada.id);
    const ownerName = expect.stringMatching(/^Owner /);
    expect(list).toEqual([
      { id: second.id, organizationName: "Globex", projectName: null, roleName: "Member", inviterName: null, expiresAt: expect.any(Date) },
      { id: first.id, organizationName: "Acme", projectName: null, roleName: "Admin", inviterName: ownerName, expiresAt: expect.any(Date) },
    ]);
    await acceptInvitationById({ userId: ada.id, invitationId: second.id, requestId });
    expect((await listPendingInvitationsForUser(ada.id)).map((i) => i.id)).toEqual([first.id]);
  });
});

describe("concurrency", () => {
  it("10 simultaneous accepts of one link make exactly one membership, one email and one audit event", async () => {
    const { token } = await inviteOne("ada@example.com");
    const ada = await newUser("ada@example.com");
    const accept = () => acceptInvitation({ userId: ada.id, token, requestId });
    const answers = await Promise.allSettled(Array.from({ length: 10 }, accept));
    expect(answers.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    for (const a of answers) if (a.status === "rejected") expect(a.reason).toMatchObject(notValid);
    expect(await getPrisma().membership.count({ where: { userId: ada.id } })).toBe(1);
    expect(await getPrisma().emailOutbox.count({ where: { kind: "invitation-accepted" } })).toBe(1);
    expect(await getPrisma().auditEvent.count({ where: { action: "org.invitations.accept" } })).toBe(1);
  });

  it("racing accepts and declines: exactly one answer wins", async () => {
    const { id, token } = await inviteOne("ada@example.com");
    const ada = await newUser("ada@example.com");
    const answer = (i: number) => (i % 2 ? declineInvitation : acceptInvitation)({ userId: ada.id, token, requestId });
    const answers = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => answer(i)));
    expect(answers.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    const joined = (await invitation(id)).status === "ACCEPTED" ? 1 : 0;
    expect(await getPrisma().membership.count({ where: { userId: ada.id } })).toBe(joined);
    const answered = { action: { in: ["org.invitations.accept", "org.invitations.decline"] } };
    expect(await getPrisma().auditEvent.count({ where: answered })).toBe(1);
  });

  it("accept racing revoke and resend: the invitation ends in one consistent state", async () => {
    for (let round = 0; round < 4; round++) {
      const email = `race${round}@example.com`;
      const { id, token } = await inviteOne(email);
      const user = await newUser(email);
      await getPrisma().invitation.update({ where: { id }, data: { lastSentAt: new Date(Date.now() - 3_600_000) } });
      const [accepted, revoked, resent] = await Promise.allSettled([
        acceptInvitation({ userId: user.id, token, requestId }),
        round % 2 ? revokeInvitation(owner, id) : Promise.reject(new Error("not raced")),
        round % 2 ? Promise.reject(new Error("not raced")) : resendInvitation(owner, id),
      ]);
      const row = await invitation(id);
      const member = await getPrisma().membership.count({ where: { userId: user.id } });
      if (accepted.status === "fulfilled") {
        expect([row.status, member]).toEqual(["ACCEPTED", 1]);
        // Revoking an accepted invitation is refused; resending a rotated one is too.
        if (round % 2) expect(revoked.status).toBe("rejected");
      } else {
        expect(member).toBe(0);
        expect(round % 2 ? revoked.status : resent.status).toBe("fulfilled");
        expect(row.status).toBe(round % 2 ? "REVOKED" : "PENDING");
      }
    }
  });
});

describe("round trips", () => {
  it("accepting and declining: two statements each, no BEGIN/COMMIT", async () => {
    const { token } = await inviteOne("ada@example.com");
    const ada = await newUser("ada@example.com");
    const accepted = await countStatements(() => acceptInvitation({ userId: ada.id, token, requestId }));
    expect(accepted.all, accepted.all.join("\n---\n")).toHaveLength(2);
    const second = await inviteOne("bob@example.com");
    const bob = await newUser("bob@example.com");
    const declined = await countStatements(() => declineInvitation({ userId: bob.id, token: second.token, requestId }));
    expect(declined.all).toHaveLength(2);
    expect(unprepared([...accepted.all, ...declined.all])).toEqual([]);
    expect(await getPrisma().membership.count({ where: { userId: ada.id } })).toBe(1);
    expect((await getPrisma().invitation.findFirstOrThrow({ where: { email: "bob@example.com" } })).status).toBe("DECLINED");
  });
});
