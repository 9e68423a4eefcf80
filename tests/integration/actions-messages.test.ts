// What the settings forms tell people (issue 13, points 8, 10 and 12), through the real server
// actions and services against the test database; only the session edge and Next's cache are
// mocked. Field errors in people's words, one per field; a role without policies asked about
// first (the API still takes one); re-inviting someone who declined; a fresh invitation's
// expiry; and who is shown how mail is set up.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { changePasswordAction } from "@/lib/actions/account";
import { createApiKeyAction } from "@/lib/actions/api-keys";
import { inviteMembersAction } from "@/lib/actions/invitations";
import { createRoleAction, updateRoleAction } from "@/lib/actions/roles";
import type { ActionResult } from "@/lib/actions/run";
import { getPrisma } from "@/lib/db";
import { SYSTEM_POLICIES, SYSTEM_ROLES } from "@/lib/db/system-roles";
import { reloadEnv } from "@/lib/env";
import { relativeTime } from "@/lib/format";
import type { ServiceContext } from "@/lib/services/context";
import { createInvitations, hashInviteToken, listInvitations } from "@/lib/services/invitations";
import { mailNoticeFor } from "@/lib/services/mail-notice";
import { createRole } from "@/lib/services/roles";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

const session = vi.hoisted(() => ({ userId: null as string | null, orgId: undefined as string | undefined }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/auth/session", async () => {
  const { getAccount } = await import("@/lib/services/accounts");
  const { resolveActiveOrganization } = await import("@/lib/services/workspace");
  const getSessionUser = async () => (session.userId ? getAccount(session.userId) : null);
  return {
    getSessionUser,
    getWorkspace: async () => {
      const user = await getSessionUser();
      return user ? { user, ...(await resolveActiveOrganization(user.id, session.orgId)) } : null;
    },
  };
});

let org: TestOrg;
let owner: ServiceContext;

function form(fields: Record<string, string | string[]>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(name, v);
  return data;
}

function ok<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got: ${result.error}`);
  return result.data;
}

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
  owner = { actor: { type: "user", userId: org.ownerId, organizationId: org.id }, requestId: "req-test" };
  session.userId = org.ownerId;
  session.orgId = org.id;
});
afterEach(() => {
  vi.unstubAllEnvs();
  reloadEnv();
});

describe("field errors", () => {
  it("are one sentence for people, at the field, also summarised as the error", async () => {
    expect(await createApiKeyAction(null, form({ name: " " }))).toEqual({ ok: false, error: "Enter a name.", fieldErrors: { name: ["Enter a name."] } });
    const tooMany = Array.from({ length: 101 }, (_, i) => `u${i}@example.com`).join("\n");
    expect(await inviteMembersAction(null, form({ emails: tooMany }))).toMatchObject({
      ok: false,
      fieldErrors: { emails: ["Enter at most 100 email addresses at a time."] },
    });
    expect(await getPrisma().invitation.count()).toBe(0);
  });

  it("name the field a list's bad element belongs to, once", async () => {
    const answer = await createRoleAction(null, form({ name: "Ops", policyIds: ["not-a-uuid", "also-not"] }));
    expect(answer).toEqual({ ok: false, error: "Choose policies from the list.", fieldErrors: { policyIds: ["Choose policies from the list."] } });
  });

  it("on the account page, a too short new password is said at that field in the same words", async () => {
    const answer = await changePasswordAction(null, form({ next: "short" }));
    expect(answer).toMatchObject({ ok: false, fieldErrors: { next: ["Use at least 10 characters"] } });
    if (!answer.ok) expect(answer.error).toBe(answer.fieldErrors?.next?.[0]);
  });
});

describe("a role without policies", () => {
  const roles = () => getPrisma().role.findMany({ where: { organizationId: org.id }, include: { policies: true } });

  it("is not created from the form until the warning is confirmed", async () => {
    const asked = await createRoleAction(null, form({ name: "Placeholder" }));
    expect(asked).toMatchObject({ ok: false, fieldErrors: { confirmNoPolicies: [expect.stringMatching(/^Without a policy this role grants no permissions/)] } });
    expect(await roles()).toEqual([]);

    const created = ok(await createRoleAction(null, form({ name: "Placeholder", confirmNoPolicies: "yes" })));
    expect(created).toMatchObject({ name: "Placeholder", policies: [] });
    expect((await roles()).map((r) => [r.name, r.policies.length])).toEqual([["Placeholder", 0]]);
  });

  it("is asked about when an edit unticks every policy; the role keeps its policies until confirmed", async () => {
    const role = ok(await createRoleAction(null, form({ name: "Support", policyIds: [SYSTEM_POLICIES.ReadOnly] })));
    const asked = await updateRoleAction(null, form({ roleId: role.id, name: "Support" }));
    expect(asked).toMatchObject({ ok: false, fieldErrors: { confirmNoPolicies: [expect.any(String)] } });
    expect((await roles())[0]?.policies.map((p) => p.policyId)).toEqual([SYSTEM_POLICIES.ReadOnly]);
    ok(await updateRoleAction(null, form({ roleId: role.id, name: "Support", confirmNoPolicies: "yes" })));
    expect((await roles())[0]?.policies).toEqual([]);
  });

  it("is still accepted by the service the API calls (policyIds: [] per the SDKs)", async () => {
    const role = await createRole(owner, { name: "From the SDK", policyIds: [], description: null });
    expect(role).toMatchObject({ name: "From the SDK", policies: [] });
  });
});

describe("invitations", () => {
  it("a fresh invitation expires 'in 7 days', as its sender just set it", async () => {
    await createInvitations(owner, { emails: ["ada@example.com"] });
    const [listed] = await listInvitations(owner);
    // A moment later, as the page renders it.
    expect(relativeTime(listed!.expires_at, new Date(Date.now() + 60_000))).toBe("in 7 days");
  });

  it("re-inviting someone who declined renews that invitation with their role and a new link", async () => {
    const admin = SYSTEM_ROLES.Admin;
    const { invitations, tokens } = await createInvitations(owner, { emails: ["ada@example.com"], organizationRoleId: admin });
    const id = invitations[0]!.id;
    await getPrisma().invitation.update({ where: { id }, data: { status: "DECLINED", respondedAt: new Date() } });
    const [declined] = await listInvitations(owner, { status: "DECLINED" });
    expect(declined).toMatchObject({ id, status: "DECLINED", organizationRoleId: admin });

    // What the Declined list's Re-invite form sends: the address and the role it declined.
    const answer = ok(await inviteMembersAction(null, form({ emails: declined!.email, organizationRoleId: admin })));
    expect(answer.rows).toEqual([{ email: "ada@example.com", outcome: "RENEWED", link: expect.stringMatching(/\/invite\//) }]);
    const row = await getPrisma().invitation.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "PENDING", roleId: admin, respondedAt: null });
    expect(row.tokenHash).not.toBe(hashInviteToken(tokens.get(id)!));
    expect(row.tokenHash).toBe(hashInviteToken(answer.rows[0]!.link!.split("/invite/")[1]!));
    expect(await listInvitations(owner, { status: "DECLINED" })).toEqual([]);
  });
});

describe("who is told how mail is set up", () => {
  async function inviterRole() {
    const p = getPrisma();
    const manage = await p.permission.findFirstOrThrow({ where: { name: "user:manage", scope: "ORGANIZATION" } });
    const policy = await p.policy.create({ data: { organizationId: org.id, name: "Invite", permissions: { create: { permissionId: manage.id } } } });
    return (await p.role.create({ data: { organizationId: org.id, name: "Inviter", policies: { create: { policyId: policy.id } } } })).id;
  }
  const actor = (userId: string) => ({ type: "user" as const, userId, organizationId: org.id });

  it("without a mail provider in production: those who send invitations or manage the organization, not Members", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("RESEND_API_KEY", "");
    reloadEnv();
    const admin = await addMember(org.id, "admin@example.com", SYSTEM_ROLES.Admin);
    const member = await addMember(org.id, "member@example.com");
    const inviter = await addMember(org.id, "inviter@example.com", await inviterRole());
    expect(await mailNoticeFor(actor(org.ownerId))).toBe("unconfigured");
    expect(await mailNoticeFor(actor(admin.id))).toBe("unconfigured");
    expect(await mailNoticeFor(actor(inviter.id))).toBe("unconfigured");
    expect(await mailNoticeFor(actor(member.id))).toBeNull();
  });

  it("in development: the same people are pointed to the mailbox; with Resend nobody is told anything", async () => {
    vi.stubEnv("NODE_ENV", "development");
    vi.stubEnv("RESEND_API_KEY", "");
    reloadEnv();
    const member = await addMember(org.id, "member@example.com");
    expect(await mailNoticeFor(actor(org.ownerId))).toBe("mailbox");
    expect(await mailNoticeFor(actor(member.id))).toBeNull();
    vi.stubEnv("RESEND_API_KEY", "re_test");
    reloadEnv();
    expect(await mailNoticeFor(actor(org.ownerId))).toBeNull();
  });
});
