// Regression tests for the trust-model findings (issue 10), each played as the attacker would:
// through the real route handlers, server actions, Auth.js handlers and services, on a real
// database. Each one failed on the code before the fix.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as verifyPage from "@/app/(auth)/verify-email/page";
import * as invitationsRoute from "@/app/v1/organization/invitations/route";
import * as memberRoute from "@/app/v1/organization/members/[userId]/route";
import * as organizationRoute from "@/app/v1/organization/route";
import { createApiKeyAction } from "@/lib/actions/api-keys";
import { signUp } from "@/lib/actions/auth";
import { changeMemberRoleAction } from "@/lib/actions/members";
import type { ActionResult } from "@/lib/actions/run";
import { getPrisma } from "@/lib/db";
import { SYSTEM_POLICIES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { reloadEnv } from "@/lib/env";
import { registerAccount, SIGNUP_CLOSED_MESSAGE, verifyCredentials } from "@/lib/services/accounts";
import type { ServiceContext } from "@/lib/services/context";
import {
  acceptInvitation,
  acceptInvitationById,
  createInvitations,
  listPendingInvitationsForUser,
} from "@/lib/services/invitations";
import { removeMember } from "@/lib/services/members";
import { provisionOrganization } from "@/lib/services/provisioning";
import type { ApiKeyDto } from "@/lib/validation/api-keys";
import { call } from "../helpers/api";
import { AuthBrowser, mailedLink } from "../helpers/auth-flow";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

// The only edges replaced: who the settings actions see as signed in, and Next's cache.
const session = vi.hoisted(() => ({ userId: "" }));
vi.mock("@/lib/auth/session", async () => {
  const { getPrisma: prisma } = await import("@/lib/db");
  const { resolveActiveOrganization } = await import("@/lib/services/workspace");
  const user = async () => {
    const row = await prisma().user.findUnique({ where: { id: session.userId } });
    return row && { id: row.id, email: row.email, name: row.name, emailVerified: row.emailVerified, hasPassword: !!row.passwordHash, sessionId: "" };
  };
  return {
    getSessionUser: user,
    getWorkspace: async () => {
      const u = await user();
      if (!u) return null;
      const { active, organizations } = await resolveActiveOrganization(u.id, undefined);
      return { user: u, active, organizations };
    },
  };
});
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-forwarded-for": "198.51.100.7" }) }));
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw Object.assign(new Error(`NEXT_REDIRECT ${to}`), { digest: `NEXT_REDIRECT;replace;${to};307;` });
  },
}));

let acme: TestOrg;

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  acme = await createOrg({ name: "Acme", plan: "TEAM" });
  await getPrisma().user.update({ where: { id: acme.ownerId }, data: { emailVerified: new Date() } });
});
afterEach(() => {
  vi.unstubAllEnvs();
  reloadEnv();
});

const userCtx = (userId: string, organizationId = acme.id): ServiceContext => ({
  actor: { type: "user", userId, organizationId },
  requestId: "req-trust",
});

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

function ok<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got: ${result.error}`);
  return result.data;
}

const verifiedUser = (email: string) => getPrisma().user.create({ data: { email, emailVerified: new Date() } });
const roleOf = async (organizationId: string, userId: string) =>
  (await getPrisma().membership.findUnique({ where: { organizationId_userId: { organizationId, userId } } }))?.roleId ?? null;

/** A custom role in Acme made of the given permissions. */
async function customRole(name: string, permissions: string[], extraPolicies: string[] = []) {
  const p = getPrisma();
  const ids = await p.permission.findMany({ where: { name: { in: permissions }, scope: "ORGANIZATION" }, select: { id: true } });
  const policy = await p.policy.create({
    data: { organizationId: acme.id, name: `${name} policy`, permissions: { create: ids.map((i) => ({ permissionId: i.id })) } },
  });
  const role = await p.role.create({
    data: { organizationId: acme.id, name, policies: { create: [policy.id, ...extraPolicies].map((policyId) => ({ policyId })) } },
  });
  return role.id;
}

/** A key minted through the settings UI by the given (signed-in) member. */
async function keyMintedInUiBy(userId: string): Promise<ApiKeyDto> {
  session.userId = userId;
  return ok(await createApiKeyAction(null, form({ name: `key of ${userId}` })));
}

describe("finding 1: an invitation the attacker issued to themselves does not verify the address", () => {
  it("cannot be used to take over another organization's pending Admin invitation", async () => {
    const { invitations } = await createInvitations(userCtx(acme.ownerId), {
      emails: ["cfo-hire@x.test"],
      organizationRoleId: SYSTEM_ROLES.Admin,
    });
    const acmeInvitation = invitations[0]!.id;

    // The attacker registers the address (never verified), and runs an organization of their own
    // from their real address.
    const attacker = (await registerAccount({ email: "cfo-hire@x.test", password: "attacker-password-1" }, undefined, "198.51.100.7"))!;
    const real = await verifiedUser("attacker@evil.test");
    const own = await getPrisma().organization.create({
      data: { name: "Attacker Inc", plan: "TRIAL", memberships: { create: { userId: real.id, roleId: SYSTEM_ROLES.Owner } } },
    });
    // They invite the address from their own organization and take the raw link ("copy invite link").
    const self = await createInvitations(userCtx(real.id, own.id), { emails: ["cfo-hire@x.test"] });
    const token = self.tokens.get(self.invitations[0]!.id)!;
    await acceptInvitation({ userId: attacker.id, token, requestId: "r" }).catch(() => undefined);

    // The address is still unverified, so Acme's invitation neither shows nor can be accepted.
    const row = await getPrisma().user.findUniqueOrThrow({ where: { id: attacker.id } });
    expect(row.emailVerified).toBeNull();
    expect(await listPendingInvitationsForUser(attacker.id)).toEqual([]);
    await expect(acceptInvitationById({ userId: attacker.id, invitationId: acmeInvitation, requestId: "r" })).rejects.toMatchObject({
      status: 403,
    });
    expect(await roleOf(acme.id, attacker.id)).toBeNull();
    expect((await getPrisma().invitation.findUniqueOrThrow({ where: { id: acmeInvitation } })).status).toBe("PENDING");
  });
});

describe("finding 2: an API key acts as its creator, at request time", () => {
  it("an Admin's key cannot make the Admin Owner (the Owner stays Owner)", async () => {
    const admin = await addMember(acme.id, "admin@x.test", SYSTEM_ROLES.Admin);
    const key = await keyMintedInUiBy(admin.id);
    const res = await call(memberRoute, "PUT", { key: key.value, params: { userId: admin.id }, body: { roleId: SYSTEM_ROLES.Owner } });
    expect(res.status).toBe(403);
    expect([await roleOf(acme.id, admin.id), await roleOf(acme.id, acme.ownerId)]).toEqual([SYSTEM_ROLES.Admin, SYSTEM_ROLES.Owner]);
  });

  it("a key minted by a role holding only apiKey:read/manage cannot invite an outsider as Admin", async () => {
    const keeper = await addMember(acme.id, "keeper@x.test", await customRole("Key keeper", ["apiKey:read", "apiKey:manage"]));
    const key = await keyMintedInUiBy(keeper.id);
    const res = await call(invitationsRoute, "POST", {
      key: key.value,
      body: { emails: ["outsider@evil.test"], organizationRoleId: SYSTEM_ROLES.Admin },
    });
    expect(res.status).toBe(403);
    expect(await getPrisma().invitation.count({ where: { email: "outsider@evil.test" } })).toBe(0);
  });

  it("a removed member's key stops authenticating", async () => {
    const admin = await addMember(acme.id, "leaver@x.test", SYSTEM_ROLES.Admin);
    const key = await keyMintedInUiBy(admin.id);
    expect((await call(organizationRoute, "GET", { key: key.value })).status).toBe(200);
    await removeMember(userCtx(acme.ownerId), admin.id);
    const res = await call(organizationRoute, "GET", { key: key.value });
    expect([res.status, res.body.success]).toEqual([401, false]);
  });
});

describe("finding 3: sign-in links are built from APP_URL, never from the request's host", () => {
  it("a sign-in link requested with a forged Host / X-Forwarded-Host points at APP_URL", async () => {
    await verifiedUser("victim@x.test");
    const browser = new AuthBrowser("evil.example");
    const res = await browser.requestSignInLink("victim@x.test", "/settings", { "x-forwarded-host": "evil.example" });
    expect(res.status).toBeLessThan(400);
    const link = new URL(await mailedLink("victim@x.test", "sign-in-link"));
    expect(link.origin).toBe("http://localhost:3000");
    for (const value of link.searchParams.values()) expect(value).not.toContain("evil.example");
  });
});

describe("finding 4: no account pre-hijacking", () => {
  it("(a) the invitee's email-link sign-in clears the attacker's password and ends the attacker's session", async () => {
    await registerAccount({ email: "invitee@x.test", password: "attacker-password-1" }, undefined, "198.51.100.7");
    const attacker = new AuthBrowser();
    await attacker.signInWithPassword("invitee@x.test", "attacker-password-1");
    expect((await attacker.session())?.user?.email).toBe("invitee@x.test");

    const invitee = new AuthBrowser();
    await invitee.requestSignInLink("invitee@x.test");
    await invitee.useSignInLink(await mailedLink("invitee@x.test", "sign-in-link"));
    expect((await invitee.session())?.user?.email).toBe("invitee@x.test");

    expect(await verifyCredentials("invitee@x.test", "attacker-password-1", "198.51.100.7")).toBeNull();
    expect(await attacker.session()).toBeNull();
    expect((await getPrisma().user.findUniqueOrThrow({ where: { email: "invitee@x.test" } })).emailVerified).toBeInstanceOf(Date);
  });

  it("(b) opening the verification link without a session (a mail scanner) verifies nothing", async () => {
    await registerAccount({ email: "scanned@x.test", password: "attacker-password-1" }, undefined, "198.51.100.7");
    const token = new URL(await mailedLink("scanned@x.test", "verify-email")).searchParams.get("token")!;
    session.userId = ""; // no cookie
    await verifyPage.default({ searchParams: Promise.resolve({ token }) }).catch(() => undefined);
    expect((await getPrisma().user.findUniqueOrThrow({ where: { email: "scanned@x.test" } })).emailVerified).toBeNull();
  });

  it("(c) with sign-up closed, a live invitation does not let anyone register the address with a password", async () => {
    vi.stubEnv("AUTH_DISABLE_SIGNUP", "true");
    reloadEnv();
    await createInvitations(userCtx(acme.ownerId), { emails: ["invited@x.test"] });
    const answer = await signUp(null, form({ email: "invited@x.test", password: "attacker-password-1" })).catch((e: Error) => e);
    expect(answer).toEqual({ ok: false, error: SIGNUP_CLOSED_MESSAGE });
    expect(await getPrisma().user.count({ where: { email: "invited@x.test" } })).toBe(0);

    // The invitee creates the account with the emailed sign-in link, which proves the address.
    const invitee = new AuthBrowser();
    await invitee.requestSignInLink("invited@x.test");
    await invitee.useSignInLink(await mailedLink("invited@x.test", "sign-in-link"));
    const created = await getPrisma().user.findUniqueOrThrow({ where: { email: "invited@x.test" } });
    expect([created.passwordHash, created.emailVerified]).toEqual([null, expect.any(Date)]);
  });

  it("(d) provisioning does not hand an organization to an unverified account with someone's password", async () => {
    await registerAccount({ email: "founder@x.test", password: "attacker-password-1" }, undefined, "198.51.100.7");
    const result = await provisionOrganization(getPrisma(), { orgName: "Founded", plan: "ENTERPRISE", userEmail: "founder@x.test" });
    const owner = await getPrisma().membership.findFirstOrThrow({ where: { organizationId: result.organizationId } });
    expect((await getPrisma().user.findUniqueOrThrow({ where: { id: owner.userId } })).email).toBe("founder@x.test");
    expect(await verifyCredentials("founder@x.test", "attacker-password-1", "198.51.100.7")).toBeNull();
  });
});

describe("a weaker role cannot weaken a stronger one through a shared policy", () => {
  it("someone holding only iam:manage cannot empty the policy that gives another role iam:manage", async () => {
    const p = getPrisma();
    const iamManage = await p.permission.findFirstOrThrow({ where: { name: "iam:manage", scope: "ORGANIZATION" } });
    const policy = await p.policy.create({
      data: { organizationId: acme.id, name: "IAM admin", permissions: { create: { permissionId: iamManage.id } } },
    });
    // "Lead" = Read only + IAM admin: stronger than a role holding iam:manage alone.
    const lead = await p.role.create({
      data: { organizationId: acme.id, name: "Lead", policies: { create: [{ policyId: policy.id }, { policyId: SYSTEM_POLICIES.ReadOnly }] } },
    });
    await addMember(acme.id, "lead@x.test", lead.id);
    const weak = await p.role.create({ data: { organizationId: acme.id, name: "IAM only", policies: { create: { policyId: policy.id } } } });
    const editor = await addMember(acme.id, "editor@x.test", weak.id);
    const { updatePolicy } = await import("@/lib/services/policies");
    await expect(
      updatePolicy(userCtx(editor.id), policy.id, { name: "IAM admin", permissionIds: [], description: null }),
    ).rejects.toMatchObject({ status: 403 });
    expect(await p.policyPermission.count({ where: { policyId: policy.id } })).toBe(1);
  });
});

describe("finding 5: a weaker role cannot demote a stronger one", () => {
  it("a custom role with user:manage cannot change an Admin's role to its own", async () => {
    const roleId = await customRole("Team lead", ["user:manage"], [SYSTEM_POLICIES.ReadOnly]);
    const lead = await addMember(acme.id, "lead@x.test", roleId);
    await getPrisma().user.update({ where: { id: lead.id }, data: { emailVerified: new Date() } });
    const admin = await addMember(acme.id, "admin@x.test", SYSTEM_ROLES.Admin);
    session.userId = lead.id;
    const result = await changeMemberRoleAction(null, form({ userId: admin.id, roleId }));
    expect(result.ok).toBe(false);
    expect(await roleOf(acme.id, admin.id)).toBe(SYSTEM_ROLES.Admin);
  });
});
