// Project invitations (contract §6): the organization's invitation engine with a project scope,
// called through the route handlers with requests shaped as the official SDKs send them
// (Content-Type: application/json on every request, a body-less PUT for resend).
import { beforeEach, describe, expect, it } from "vitest";
import * as orgInvitations from "@/app/v1/organization/invitations/route";
import * as orgInvitation from "@/app/v1/organization/invitations/[invitationId]/route";
import * as projectInvitations from "@/app/v1/projects/[projectId]/invitations/route";
import * as projectInvitation from "@/app/v1/projects/[projectId]/invitations/[invitationId]/route";
import { getPrisma } from "@/lib/db";
import { PROJECT_ROLES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { generateApiKey, hashApiKey, lastSix } from "@/lib/auth/api-keys";
import type { ServiceContext } from "@/lib/services/context";
import {
  acceptInvitation,
  createInvitations,
  getInvitationByToken,
  projectScope,
} from "@/lib/services/invitations";
import { removeMember } from "@/lib/services/members";
import { call } from "../helpers/api";
import { addMember, countStatements, createOrg, onRequestPath, type TestOrg, unprepared } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
let org: TestOrg;
let projectId: string;

async function newProject(o: TestOrg, name = "Forecasting") {
  return (await getPrisma().project.create({ data: { organizationId: o.id, name } })).id;
}

async function projectMember(o: TestOrg, project: string, email: string, roleId: string = PROJECT_ROLES.Member) {
  const user = await addMember(o.id, email);
  await getPrisma().projectMembership.create({ data: { projectId: project, organizationId: o.id, userId: user.id, roleId } });
  return user;
}

/** An API key made by `userId` (it acts as them). */
async function keyOf(o: TestOrg, userId: string) {
  const key = generateApiKey();
  await getPrisma().apiKey.create({
    data: { organizationId: o.id, name: "k", keyHash: hashApiKey(key), last6: lastSix(key), createdByUserId: userId },
  });
  return key;
}

const invite = (body: unknown, key = org.key, project = projectId) =>
  call(projectInvitations, "POST", { key, params: { projectId: project }, body });
const list = (key = org.key, project = projectId) => call(projectInvitations, "GET", { key, params: { projectId: project } });
const resend = (id: number, key = org.key, project = projectId) =>
  call(projectInvitation, "PUT", { key, params: { projectId: project, invitationId: String(id) } });
const revoke = (id: number, key = org.key, project = projectId) =>
  call(projectInvitation, "DELETE", { key, params: { projectId: project, invitationId: String(id) } });
const verified = (email: string) => getPrisma().user.create({ data: { email, emailVerified: new Date() } });

async function snapshot() {
  const p = getPrisma();
  const byId = { orderBy: { id: "asc" as const } };
  return Promise.all([
    p.invitation.findMany(byId),
    p.emailOutbox.count(),
    p.auditEvent.count(),
    p.membership.count(),
    p.projectMembership.count(),
  ]);
}

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
  projectId = await newProject(org);
});

describe("POST /v1/projects/{projectId}/invitations", () => {
  it("invites with the project Member role by default, in the contract's shape, with outbox and audit rows", async () => {
    const res = await invite({ emails: [" Ada@Example.com ", "ada@example.com", "bob@example.com"] });
    expect(res.status).toBe(200);
    const [ada, bob] = res.body.data.invitations;
    expect(ada).toEqual({
      id: expect.any(Number),
      email: "ada@example.com",
      status: "PENDING",
      created_at: expect.stringMatching(TIMESTAMP),
      projectRoleId: PROJECT_ROLES.Member,
      expires_at: expect.stringMatching(TIMESTAMP),
      last_sent_at: expect.stringMatching(TIMESTAMP),
      email_status: "QUEUED",
    });
    expect(bob.email).toBe("bob@example.com");
    expect(res.body.data.skipped).toEqual([]);
    const rows = await getPrisma().invitation.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.projectId, r.organizationId, r.roleId])).toEqual([
      [projectId, org.id, PROJECT_ROLES.Member],
      [projectId, org.id, PROJECT_ROLES.Member],
    ]);
    const outbox = await getPrisma().emailOutbox.findMany({ where: { invitationId: ada.id } });
    expect(outbox[0]!.payload).toMatchObject({ organizationName: "Acme", projectName: "Forecasting", roleName: "Member" });
    const audit = await getPrisma().auditEvent.findMany({ where: { action: "project.invitations.create" } });
    expect(audit.map((a) => [a.projectId, a.targetId])).toEqual(expect.arrayContaining([[projectId, String(ada.id)]]));
  });

  it("gives a custom or system project role; Owner → 403, an org role or another project's role → 422", async () => {
    const other = await newProject(org, "Other");
    const custom = await getPrisma().role.create({ data: { scope: "PROJECT", projectId, name: "Reviewer" } });
    const foreign = await getPrisma().role.create({ data: { scope: "PROJECT", projectId: other, name: "Reviewer" } });
    const manager = await invite({ emails: ["m@example.com"], projectRoleId: PROJECT_ROLES.Manager });
    expect(manager.body.data.invitations[0].projectRoleId).toBe(PROJECT_ROLES.Manager);
    expect((await invite({ emails: ["c@example.com"], projectRoleId: custom.id })).status).toBe(200);
    const before = await snapshot();
    const owner = await invite({ emails: ["o@example.com"], projectRoleId: PROJECT_ROLES.Owner });
    expect([owner.status, owner.body.error]).toEqual([403, expect.stringMatching(/Owner role cannot be given by invitation/)]);
    for (const roleId of [SYSTEM_ROLES.Admin, foreign.id, "00000000-0000-4000-8000-00000000abcd"]) {
      const res = await invite({ emails: ["x@example.com"], projectRoleId: roleId });
      expect([res.status, res.body.error]).toEqual([422, `projectRoleId ${roleId} is not a role of this project`]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("skips project members and live invitations to this project; org members who are not in the project are invited", async () => {
    await projectMember(org, projectId, "in@example.com");
    await addMember(org.id, "orgonly@example.com");
    await invite({ emails: ["pending@example.com"] });
    // An invitation to the organization, or to another project, does not count for this one.
    await call(orgInvitations, "POST", { key: org.key, body: { emails: ["both@example.com"] } });
    const res = await invite({ emails: ["in@example.com", "orgonly@example.com", "pending@example.com", "both@example.com"] });
    expect(res.body.data.skipped).toEqual([
      { email: "in@example.com", reason: "ALREADY_MEMBER" },
      { email: "pending@example.com", reason: "ALREADY_INVITED" },
    ]);
    expect(res.body.data.invitations.map((i: { email: string }) => i.email)).toEqual(["orgonly@example.com", "both@example.com"]);
    expect(await getPrisma().invitation.count({ where: { email: "both@example.com" } })).toBe(2);
  });

  it("keeps mixed org and project invitations within the seat limit, one seat per address", async () => {
    await getPrisma().organization.update({ where: { id: org.id }, data: { seatLimit: 3 } });
    await call(orgInvitations, "POST", { key: org.key, body: { emails: ["a@example.com"] } });
    // The same address to the project: it already holds a seat.
    expect((await invite({ emails: ["a@example.com"] })).status).toBe(200);
    // An org member joining the project takes no seat either.
    await addMember(org.id, "member@example.com");
    const atLimit = await invite({ emails: ["member@example.com"] });
    expect(atLimit.status).toBe(200);
    const before = await snapshot();
    const over = await invite({ emails: ["b@example.com"] });
    expect([over.status, over.body.error]).toEqual([403, expect.stringMatching(/^Seat limit reached: 3 of 3 seats/)]);
    const overOrg = await call(orgInvitations, "POST", { key: org.key, body: { emails: ["c@example.com"] } });
    expect(overOrg.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it("never exceeds the seat limit under concurrent mixed org and project invitations", async () => {
    // The Owner holds one seat: four remain for twelve concurrent requests, half of them org-level.
    await getPrisma().organization.update({ where: { id: org.id }, data: { seatLimit: 5 } });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 2 === 0
          ? invite({ emails: [`p${i}@example.com`] })
          : call(orgInvitations, "POST", { key: org.key, body: { emails: [`o${i}@example.com`] } }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([...Array(4).fill(200), ...Array(8).fill(403)]);
    for (const refused of answers.filter((a) => a.status === 403)) expect(refused.body.error).toMatch(/^Seat limit reached: 5 of 5 seats/);
    const members = await getPrisma().membership.count({ where: { organizationId: org.id } });
    const pending = await getPrisma().invitation.count({ where: { organizationId: org.id, status: "PENDING" } });
    expect(members + pending).toBe(5);
  });

  it("50 concurrent invitations of one address make one row and one email", async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => invite({ emails: ["race@example.com"] })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(await getPrisma().invitation.count({ where: { email: "race@example.com" } })).toBe(1);
    expect(await getPrisma().emailOutbox.count({ where: { recipient: "race@example.com" } })).toBe(1);
  });

  it("issues the same statements for 1 and for 100 addresses", async () => {
    const ctx: ServiceContext = {
      actor: { type: "apiKey", apiKeyId: org.apiKeyId, organizationId: org.id, creatorUserId: null },
      requestId: "r",
    };
    const one = await countStatements(() => createInvitations(ctx, { emails: ["one@example.com"] }, projectScope(projectId)));
    const emails = Array.from({ length: 100 }, (_, i) => `many-${i}@example.com`);
    const many = await countStatements(() => createInvitations(ctx, { emails }, projectScope(projectId)));
    expect(many.statements.length).toBe(one.statements.length);
    expect(await getPrisma().invitation.count()).toBe(101);
  });

  it("create, resend and revoke through the routes: at most 4 round trips each, auth included, for an admin's key and a project Manager's", async () => {
    const manager = await projectMember(org, projectId, "manager@example.com", PROJECT_ROLES.Manager);
    const managerKey = await keyOf(org, manager.id);
    for (const [who, key] of [["operator key", org.key], ["Manager's key", managerKey]] as const) {
      const created = await countStatements(() => invite({ emails: [`rt-${who.length}@example.com`] }, key));
      expect(created.result.status, who).toBe(200);
      expect(onRequestPath(created.all).length, `${who}: ${onRequestPath(created.all).join("\n---\n")}`).toBeLessThanOrEqual(4);
      const id = created.result.body.data.invitations[0].id as number;
      await getPrisma().invitation.update({ where: { id }, data: { lastSentAt: new Date(Date.now() - 3_600_000) } });
      const resent = await countStatements(() => resend(id, key));
      expect(resent.result.status, who).toBe(200);
      expect(onRequestPath(resent.all).length, who).toBeLessThanOrEqual(4);
      const revoked = await countStatements(() => revoke(id, key));
      expect(revoked.result.status, who).toBe(200);
      expect(onRequestPath(revoked.all).length, who).toBeLessThanOrEqual(4);
      expect(unprepared(onRequestPath([...created.all, ...resent.all, ...revoked.all])), who).toEqual([]);
    }
  });
});

describe("the project scope is separate from the organization's", () => {
  it("lists only the project's invitations; the org list has only org ones; ids do not cross", async () => {
    const other = await newProject(org, "Other");
    const mine = (await invite({ emails: ["p@example.com"] })).body.data.invitations[0].id as number;
    const theirs = (await invite({ emails: ["q@example.com"] }, org.key, other)).body.data.invitations[0].id as number;
    const orgOnly = (await call(orgInvitations, "POST", { key: org.key, body: { emails: ["o@example.com"] } })).body.data
      .invitations[0].id as number;
    expect((await list()).body.data.invitations.map((i: { id: number }) => i.id)).toEqual([mine]);
    const orgList = await call(orgInvitations, "GET", { key: org.key });
    expect(orgList.body.data.invitations.map((i: { id: number }) => i.id)).toEqual([orgOnly]);
    expect(orgList.body.data.invitations[0]).toHaveProperty("organizationRoleId");
    const before = await snapshot();
    for (const id of [theirs, orgOnly]) {
      expect((await resend(id)).status).toBe(404);
      expect((await revoke(id)).status).toBe(404);
    }
    const params = { invitationId: String(mine) };
    expect((await call(orgInvitation, "PUT", { key: org.key, params })).status).toBe(404);
    expect((await call(orgInvitation, "DELETE", { key: org.key, params })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it("answers 404 for another organization's project on every route, changing nothing", async () => {
    const elsewhere = await createOrg({ name: "Globex" });
    const foreignProject = await newProject(elsewhere, "Theirs");
    const theirId = (await invite({ emails: ["t@example.com"] }, elsewhere.key, foreignProject)).body.data.invitations[0].id;
    const before = await snapshot();
    for (const res of [
      await list(org.key, foreignProject),
      await invite({ emails: ["x@example.com"] }, org.key, foreignProject),
      await resend(theirId, org.key, foreignProject),
      await revoke(theirId, org.key, foreignProject),
      await list(org.key, "no-such-project"),
    ]) {
      expect([res.status, res.body.code]).toEqual([404, "not_found"]);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("who may invite to a project", () => {
  it("a project Manager may; a project Member is refused (403); someone outside the project gets 404; an org Admin may", async () => {
    const manager = await projectMember(org, projectId, "manager@example.com", PROJECT_ROLES.Manager);
    const member = await projectMember(org, projectId, "member@example.com");
    const outsider = await addMember(org.id, "outsider@example.com");
    const admin = await addMember(org.id, "admin@example.com", SYSTEM_ROLES.Admin);
    expect((await invite({ emails: ["a@example.com"] }, await keyOf(org, manager.id))).status).toBe(200);
    const before = await snapshot();
    const refused = await invite({ emails: ["b@example.com"] }, await keyOf(org, member.id));
    expect([refused.status, refused.body.error]).toEqual([
      403,
      "Your project role does not allow this action (it needs the user:manage permission)",
    ]);
    expect((await list(await keyOf(org, outsider.id))).status).toBe(404);
    expect((await invite({ emails: ["c@example.com"] }, await keyOf(org, outsider.id))).status).toBe(404);
    expect(await snapshot()).toEqual(before);
    expect((await invite({ emails: ["d@example.com"], projectRoleId: PROJECT_ROLES.Manager }, await keyOf(org, admin.id))).status).toBe(200);
    // A project Member may list (user:read), not resend or revoke.
    expect((await list(await keyOf(org, member.id))).status).toBe(200);
  });
});

describe("resend and revoke", () => {
  it("resend answers the body-less PUT with a new link; declined → 409; revoke works on pending and declined", async () => {
    const { invitations, tokens } = await createInvitations(
      { actor: { type: "apiKey", apiKeyId: org.apiKeyId, organizationId: org.id, creatorUserId: null }, requestId: "r" },
      { emails: ["ada@example.com"] },
      projectScope(projectId),
    );
    const id = invitations[0]!.id;
    await getPrisma().invitation.update({ where: { id }, data: { lastSentAt: new Date(Date.now() - 120_000) } });
    const res = await resend(id);
    expect([res.status, res.body.data.invitation.id, res.body.data.invitation.projectRoleId]).toEqual([200, id, PROJECT_ROLES.Member]);
    expect(await getInvitationByToken(tokens.get(id)!)).toBeNull();
    expect(await getPrisma().auditEvent.count({ where: { action: "project.invitations.resend", projectId } })).toBe(1);
    await getPrisma().invitation.update({ where: { id }, data: { status: "DECLINED" } });
    expect((await resend(id)).status).toBe(409);
    expect((await revoke(id)).body).toEqual({ success: true, data: { id, deleted: true }, deprecated: false });
    expect((await revoke(id)).status).toBe(404);
    expect(await getPrisma().auditEvent.count({ where: { action: "project.invitations.revoke", projectId } })).toBe(1);
  });
});

describe("accepting a project invitation", () => {
  const keyCtx = (): ServiceContext => ({
    actor: { type: "apiKey", apiKeyId: org.apiKeyId, organizationId: org.id, creatorUserId: null },
    requestId: "r",
  });

  it("makes a non-member an org Member and a project member with the invited role, in one transaction", async () => {
    const { invitations, tokens } = await createInvitations(keyCtx(), { emails: ["new@example.com"], projectRoleId: PROJECT_ROLES.Manager }, projectScope(projectId));
    const id = invitations[0]!.id;
    const lookup = await getInvitationByToken(tokens.get(id)!);
    expect(lookup).toMatchObject({ projectId, projectName: "Forecasting", organizationName: "Acme", roleName: "Manager" });
    const user = await verified("new@example.com");
    const answer = await acceptInvitation({ userId: user.id, token: tokens.get(id)!, requestId: "r" });
    expect(answer).toEqual({ invitationId: id, organizationId: org.id, organizationName: "Acme", roleName: "Manager", projectId, projectName: "Forecasting" });
    const p = getPrisma();
    expect(await p.membership.findMany({ where: { userId: user.id } })).toMatchObject([{ organizationId: org.id, roleId: SYSTEM_ROLES.Member }]);
    expect(await p.projectMembership.findMany({ where: { userId: user.id } })).toMatchObject([{ projectId, roleId: PROJECT_ROLES.Manager }]);
    const [event] = await p.auditEvent.findMany({ where: { action: "project.invitations.accept" } });
    expect([event!.projectId, event!.metadata]).toEqual([projectId, expect.objectContaining({ joinedOrganization: true })]);
  });

  it("an org member just joins the project, keeping their org role", async () => {
    const admin = await addMember(org.id, "admin@example.com", SYSTEM_ROLES.Admin);
    const { invitations, tokens } = await createInvitations(keyCtx(), { emails: ["admin@example.com"] }, projectScope(projectId));
    await acceptInvitation({ userId: admin.id, token: tokens.get(invitations[0]!.id)!, requestId: "r" });
    const p = getPrisma();
    expect((await p.membership.findFirstOrThrow({ where: { userId: admin.id } })).roleId).toBe(SYSTEM_ROLES.Admin);
    expect((await p.projectMembership.findFirstOrThrow({ where: { userId: admin.id } })).roleId).toBe(PROJECT_ROLES.Member);
  });

  it("removing someone from the organization ends their project memberships and revokes their open invitations", async () => {
    const user = await projectMember(org, projectId, "leaver@example.com");
    const other = await newProject(org, "Second");
    await invite({ emails: ["leaver@example.com"] }, org.key, other);
    await getPrisma().invitation.updateMany({ where: { email: "leaver@example.com" }, data: { status: "DECLINED" } });
    await createInvitations(keyCtx(), { emails: ["leaver@example.com"] }, projectScope(await newProject(org, "Third")));
    await removeMember({ actor: { type: "user", userId: org.ownerId, organizationId: org.id }, requestId: "r" }, user.id);
    expect(await getPrisma().projectMembership.count({ where: { userId: user.id } })).toBe(0);
    const statuses = (await getPrisma().invitation.findMany({ where: { email: "leaver@example.com" } })).map((i) => i.status);
    expect(statuses).toEqual(["REVOKED", "REVOKED"]);
  });
});
