// The settings server actions for members and invitations, in process against the test database.
// Only the session edge is mocked: getWorkspace answers the real workspace of a chosen user.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getWorkspace } from "@/lib/auth/session";
import { inviteMembersAction, resendInvitationAction, revokeInvitationAction } from "@/lib/actions/invitations";
import { changeMemberRoleAction, removeMemberAction } from "@/lib/actions/members";
import { getPrisma } from "@/lib/db";
import { PROJECT_ROLES, SYSTEM_POLICIES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import type { ServiceContext } from "@/lib/services/context";
import { createInvitations, hashInviteToken, listInvitations } from "@/lib/services/invitations";
import { searchMembers } from "@/lib/services/member-search";
import { projectScope } from "@/lib/services/scope";
import { grantableRoles } from "@/lib/services/roles";
import { resolveActiveOrganization } from "@/lib/services/workspace";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

vi.mock("@/lib/auth/session", () => ({ getWorkspace: vi.fn() }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const refused = (permission: string) => ({ ok: false, error: `Your role does not allow this action (it needs the ${permission} permission)` });
const LINK = /^http:\/\/localhost:3000\/invite\/([A-Za-z0-9_-]{43})$/;

let org: TestOrg;
let owner: ServiceContext;

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
  owner = { actor: { type: "user", userId: org.ownerId, organizationId: org.id }, requestId: "req-test" };
  await signInAs(org.ownerId);
});

async function signInAs(userId: string) {
  const user = await getPrisma().user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, name: true, emailVerified: true },
  });
  const { active, organizations } = await resolveActiveOrganization(userId, org.id);
  vi.mocked(getWorkspace).mockResolvedValue({ user: { ...user, hasPassword: false, sessionId: "" }, active, organizations });
}

function form(fields: Record<string, string | number>) {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, String(value));
  return data;
}

async function snapshot() {
  const p = getPrisma();
  return {
    invitations: await p.invitation.findMany({ orderBy: { id: "asc" } }),
    memberships: await p.membership.findMany({ orderBy: { userId: "asc" } }),
    outbox: await p.emailOutbox.count(),
    audit: await p.auditEvent.count(),
  };
}

/** A custom role holding the read permissions plus user:manage: it may invite, but not as Admin. */
async function addInviter(email: string) {
  const p = getPrisma();
  const manage = await p.permission.findFirstOrThrow({ where: { name: "user:manage", scope: "ORGANIZATION" } });
  const policy = await p.policy.create({
    data: { organizationId: org.id, name: "Invite", permissions: { create: { permissionId: manage.id } } },
  });
  const role = await p.role.create({
    data: {
      organizationId: org.id,
      name: "Inviter",
      policies: { create: [{ policyId: policy.id }, { policyId: SYSTEM_POLICIES.ReadOnly }] },
    },
  });
  return { user: await addMember(org.id, email, role.id), roleId: role.id };
}

const roleOf = async (userId: string) =>
  (await getPrisma().membership.findUnique({ where: { organizationId_userId: { organizationId: org.id, userId } } }))
    ?.roleId ?? null;

describe("inviteMembersAction", () => {
  it("answers each address of one pasted list on its own", async () => {
    await addMember(org.id, "member@example.com");
    await createInvitations(owner, { emails: ["pending@example.com", "declined@example.com"] });
    // Declined a day ago: inviting again renews the same row.
    await getPrisma().invitation.updateMany({
      where: { email: "declined@example.com" },
      data: { status: "DECLINED", createdAt: new Date(Date.now() - 86_400_000), lastSentAt: new Date(Date.now() - 86_400_000) },
    });
    const pasted = [
      "name,email",
      'Ada,"Ada@Example.com"',
      "Ada again, ADA@example.COM",
      "member@example.com; pending@example.com",
      "not-an-email@ <declined@example.com>",
    ].join("\n");

    const result = await inviteMembersAction(null, form({ emails: pasted, organizationRoleId: SYSTEM_ROLES.Admin }));

    if (!result.ok) throw new Error(result.error);
    expect(result.data.rows.map(({ email, outcome }) => [email, outcome])).toEqual([
      ["ada@example.com", "INVITED"],
      ["member@example.com", "ALREADY_MEMBER"],
      ["pending@example.com", "ALREADY_INVITED"],
      ["not-an-email@", "INVALID"],
      ["declined@example.com", "RENEWED"],
    ]);
    expect(result.data.duplicates).toEqual(["ADA@example.COM"]);
    const links = Object.fromEntries(result.data.rows.filter((r) => r.link).map((r) => [r.email, r.link!]));
    expect(Object.keys(links)).toEqual(["ada@example.com", "declined@example.com"]);

    const rows = await getPrisma().invitation.findMany({ where: { organizationId: org.id }, orderBy: { email: "asc" } });
    expect(rows.map((r) => [r.email, r.status, r.roleId])).toEqual([
      ["ada@example.com", "PENDING", SYSTEM_ROLES.Admin],
      ["declined@example.com", "PENDING", SYSTEM_ROLES.Admin],
      ["pending@example.com", "PENDING", SYSTEM_ROLES.Member],
    ]);
    // Each link works (its hash is the stored one) and the raw token is stored nowhere.
    for (const [email, link] of Object.entries(links)) {
      const token = LINK.exec(link)![1]!;
      expect(rows.find((r) => r.email === email)!.tokenHash).toBe(hashInviteToken(token));
      const outbox = await getPrisma().emailOutbox.findMany({ where: { recipient: email } });
      expect(JSON.stringify(outbox)).not.toContain(token);
    }
  });

  it("sends nothing when every address is invalid, and says so per address", async () => {
    const before = await snapshot();
    const result = await inviteMembersAction(null, form({ emails: "a@, @b.com", organizationRoleId: "" }));
    expect(result).toEqual({
      ok: true,
      data: {
        rows: [
          { email: "a@", outcome: "INVALID" },
          { email: "@b.com", outcome: "INVALID" },
        ],
        duplicates: [],
      },
    });
    expect(await snapshot()).toEqual(before);
  });

  it("validates the form with field errors", async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ emails: "   " }, "emails", "Enter at least one email address."],
      [{}, "emails", "Enter at least one email address."],
      [{ emails: "Ada Lovelace, Grace" }, "emails", "No email addresses found: put one per line, or separate them with commas."],
      [
        { emails: Array.from({ length: 101 }, (_, i) => `u${i}@example.com`).join("\n") },
        "emails",
        "Enter at most 100 email addresses at a time.",
      ],
      [{ emails: "a@example.com", organizationRoleId: "admin" }, "organizationRoleId", "Choose a role from the list."],
    ];
    for (const [fields, field, message] of cases) {
      const result = await inviteMembersAction(null, form(fields));
      expect(result).toMatchObject({ ok: false, error: message, fieldErrors: { [field]: [message] } });
    }
    expect(await getPrisma().invitation.count()).toBe(0);
    // The role picker's empty default means Member.
    expect((await inviteMembersAction(null, form({ emails: "grace@example.com", organizationRoleId: "" }))).ok).toBe(true);
    expect((await getPrisma().invitation.findFirstOrThrow()).roleId).toBe(SYSTEM_ROLES.Member);
  });

  it("refuses the Owner role and roles above the inviter's own, writing nothing", async () => {
    const owned = await inviteMembersAction(null, form({ emails: "x@example.com", organizationRoleId: SYSTEM_ROLES.Owner }));
    expect(owned).toEqual({ ok: false, error: "The Owner role cannot be given by invitation; transfer ownership to a member instead" });
    const inviter = await addInviter("inviter@example.com");
    await signInAs(inviter.user.id);
    const above = await inviteMembersAction(null, form({ emails: "x@example.com", organizationRoleId: SYSTEM_ROLES.Admin }));
    expect(above).toMatchObject({ ok: false, error: expect.stringMatching(/^You cannot grant a role with permissions you do not hold \(/) });
    expect(await getPrisma().invitation.count()).toBe(0);
    expect(await inviteMembersAction(null, form({ emails: "x@example.com", organizationRoleId: inviter.roleId }))).toMatchObject({
      ok: true,
      data: { rows: [{ email: "x@example.com", outcome: "INVITED" }] },
    });
  });

  it("refuses a Member with the role message and writes nothing", async () => {
    const member = await addMember(org.id, "member@example.com");
    const { invitations } = await createInvitations(owner, { emails: ["pending@example.com"] });
    await signInAs(member.id);
    const before = await snapshot();
    const id = invitations[0]!.id;
    expect(await inviteMembersAction(null, form({ emails: "new@example.com" }))).toEqual(refused("user:manage"));
    expect(await resendInvitationAction(null, form({ invitationId: id }))).toEqual(refused("user:manage"));
    expect(await revokeInvitationAction(null, form({ invitationId: id }))).toEqual(refused("user:manage"));
    expect(await changeMemberRoleAction(null, form({ userId: org.ownerId, roleId: SYSTEM_ROLES.Member }))).toEqual(refused("user:manage"));
    expect(await removeMemberAction(null, form({ userId: org.ownerId }))).toEqual(refused("user:delete"));
    expect(await snapshot()).toEqual(before);
  });
});

describe("resendInvitationAction and revokeInvitationAction", () => {
  async function inviteOne(email: string) {
    const { invitations, tokens } = await createInvitations(owner, { emails: [email] });
    return { id: invitations[0]!.id, token: tokens.get(invitations[0]!.id)! };
  }

  it("explains the resend cooldown, then resends with a new one-time link", async () => {
    const { id, token } = await inviteOne("ada@example.com");
    const early = await resendInvitationAction(null, form({ invitationId: id }));
    expect(early.ok).toBe(false);
    if (early.ok) return;
    expect(early.error).toMatch(/^This invitation was emailed moments ago\. .* you can resend it in (60|59) seconds\.$/);

    await getPrisma().invitation.update({ where: { id }, data: { lastSentAt: new Date(Date.now() - 120_000) } });
    const later = await resendInvitationAction(null, form({ invitationId: id }));
    if (!later.ok) throw new Error(later.error);
    const fresh = LINK.exec(later.data.link)![1]!;
    expect(fresh).not.toBe(token);
    expect(later.data.invitation).toMatchObject({ id, email: "ada@example.com", status: "PENDING", email_status: "QUEUED" });
    const row = await getPrisma().invitation.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).toBe(hashInviteToken(fresh));
  });

  it("rejects a malformed invitation id as a field error", async () => {
    const result = await resendInvitationAction(null, form({ invitationId: "abc" }));
    expect(result).toMatchObject({ ok: false, fieldErrors: { invitationId: ["must be a positive integer"] } });
  });

  it("revokes: the invitation leaves the list and a second revoke is not found", async () => {
    const { id } = await inviteOne("ada@example.com");
    const result = await revokeInvitationAction(null, form({ invitationId: id }));
    expect(result).toEqual({ ok: true, data: { id, deleted: true } });
    expect((await getPrisma().invitation.findUniqueOrThrow({ where: { id } })).status).toBe("REVOKED");
    expect(await listInvitations(owner)).toEqual([]);
    expect(await revokeInvitationAction(null, form({ invitationId: id }))).toEqual({
      ok: false,
      error: `Invitation ${id} not found`,
    });
  });
});

describe("changeMemberRoleAction and removeMemberAction", () => {
  it("changes a role, and choosing Owner transfers ownership", async () => {
    const ada = await addMember(org.id, "ada@example.com");
    const admin = await changeMemberRoleAction(null, form({ userId: ada.id, roleId: SYSTEM_ROLES.Admin }));
    expect(admin).toMatchObject({ ok: true, data: { id: ada.id, organizationRole: { id: SYSTEM_ROLES.Admin, name: "Admin" } } });

    const transfer = await changeMemberRoleAction(null, form({ userId: ada.id, roleId: SYSTEM_ROLES.Owner }));
    expect(transfer).toMatchObject({ ok: true, data: { email: "ada@example.com", organizationRole: { name: "Owner" } } });
    expect(await roleOf(ada.id)).toBe(SYSTEM_ROLES.Owner);
    expect(await roleOf(org.ownerId)).toBe(SYSTEM_ROLES.Admin);

    // The former Owner, now an Admin, can neither take ownership back nor touch the new Owner.
    await signInAs(org.ownerId);
    const grace = await addMember(org.id, "grace@example.com");
    expect(await changeMemberRoleAction(null, form({ userId: grace.id, roleId: SYSTEM_ROLES.Owner }))).toEqual({
      ok: false,
      error: "Only the Owner can transfer ownership",
    });
    expect(await changeMemberRoleAction(null, form({ userId: ada.id, roleId: SYSTEM_ROLES.Member }))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^The Owner's role cannot be changed/),
    });
    expect(await roleOf(ada.id)).toBe(SYSTEM_ROLES.Owner);
  });

  it("validates the role change form", async () => {
    const result = await changeMemberRoleAction(null, form({ userId: org.ownerId, roleId: "owner" }));
    expect(result).toMatchObject({ ok: false, fieldErrors: { roleId: ["Choose a role from the list."] } });
  });

  it("removes a member and revokes their pending invitations; never the Owner", async () => {
    const ada = await addMember(org.id, "ada@example.com");
    // An invitation to the same address (e.g. sent to another role before they joined).
    await getPrisma().invitation.create({
      data: {
        organizationId: org.id,
        email: "ada@example.com",
        roleId: SYSTEM_ROLES.Member,
        tokenHash: "x".repeat(64),
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    expect(await removeMemberAction(null, form({ userId: ada.id }))).toEqual({ ok: true, data: { id: ada.id, removed: true } });
    expect(await roleOf(ada.id)).toBeNull();
    expect((await getPrisma().invitation.findFirstOrThrow({ where: { email: "ada@example.com" } })).status).toBe("REVOKED");

    expect(await removeMemberAction(null, form({ userId: org.ownerId }))).toEqual({
      ok: false,
      error: "The Owner cannot be removed; transfer ownership to another member first",
    });
    expect(await roleOf(org.ownerId)).toBe(SYSTEM_ROLES.Owner);
  });
});

describe("the pages' read side", () => {
  it("searches members by email or name, case-insensitively, a page at a time", async () => {
    for (const [i, email] of ["ada@example.com", "grace@example.com", "alan@other.org"].entries()) {
      const user = await addMember(org.id, email);
      await getPrisma().user.update({ where: { id: user.id }, data: { name: ["Ada Lovelace", "Grace Hopper", "Alan Turing"][i] } });
      await getPrisma().membership.update({
        where: { organizationId_userId: { organizationId: org.id, userId: user.id } },
        data: { joinedAt: new Date(Date.now() + (i + 1) * 1000) },
      });
    }
    const emails = async (q: string, page = 1, pageSize = 25) => {
      const { members, total } = await searchMembers(owner, { q, page, pageSize });
      return { emails: members.map((m) => m.email), total };
    };
    expect(await emails("EXAMPLE.COM")).toEqual({ emails: ["ada@example.com", "grace@example.com"], total: 2 });
    expect(await emails("hopper")).toEqual({ emails: ["grace@example.com"], total: 1 });
    expect(await emails("", 2, 2)).toEqual({ emails: ["grace@example.com", "alan@other.org"], total: 4 });
    expect(await emails("nobody")).toEqual({ emails: [], total: 0 });
  });

  it("offers Owner only to the Owner and only roles within the user's permissions", async () => {
    const names = async (ctx: ServiceContext) => (await grantableRoles(ctx)).grantable.map((r) => r.name);
    const admin = await addMember(org.id, "admin@example.com", SYSTEM_ROLES.Admin);
    const member = await addMember(org.id, "member@example.com");
    const as = (userId: string): ServiceContext => ({ ...owner, actor: { ...owner.actor, userId } as ServiceContext["actor"] });
    expect(await names(owner)).toEqual(["Owner", "Admin", "Member"]);
    expect(await names(as(admin.id))).toEqual(["Admin", "Member"]);
    expect(await names(as(member.id))).toEqual(["Member"]);
    const inviter = await addInviter("inviter@example.com");
    expect(await names(as(inviter.user.id))).toEqual(["Member", "Inviter"]);
  });

  it("offers a project's roles by the same rule: its Owner role only to whoever acts as the project's Owner", async () => {
    const project = await getPrisma().project.create({ data: { organizationId: org.id, name: "Search" } });
    const names = async (ctx: ServiceContext) => (await grantableRoles(ctx, projectScope(project.id))).grantable.map((r) => r.name);
    const as = (userId: string): ServiceContext => ({ ...owner, actor: { ...owner.actor, userId } as ServiceContext["actor"] });
    const join = async (email: string, roleId: string) => {
      const user = await addMember(org.id, email);
      await getPrisma().projectMembership.create({ data: { organizationId: org.id, projectId: project.id, userId: user.id, roleId } });
      return user.id;
    };
    const projectOwner = await join("po@example.com", PROJECT_ROLES.Owner);
    const manager = await join("manager@example.com", PROJECT_ROLES.Manager);
    const member = await join("pm@example.com", PROJECT_ROLES.Member);
    // The org Owner administers every project as its Owner would.
    expect(await names(owner)).toEqual(["Owner", "Manager", "Member"]);
    expect(await names(as(projectOwner))).toEqual(["Owner", "Manager", "Member"]);
    expect(await names(as(manager))).toEqual(["Manager", "Member"]);
    expect(await names(as(member))).toEqual(["Member"]);
    // Not a member of the project: it does not exist for them.
    const outsider = await addMember(org.id, "outsider@example.com");
    await expect(grantableRoles(as(outsider.id), projectScope(project.id))).rejects.toMatchObject({ code: "not_found" });
  });
});
