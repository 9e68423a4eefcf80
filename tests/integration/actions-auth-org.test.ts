// Server actions of the settings shell and organization creation, run in-process against the
// test database. Only the session edge is mocked: "who is signed in" and the active-org cookie.
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createOrganizationAction, renameOrganization, switchOrganization } from "@/lib/actions/organization";
import { getPrisma } from "@/lib/db";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { reloadEnv } from "@/lib/env";
import { getOrganizationOverview } from "@/lib/services/org-overview";
import { createOrganization } from "@/lib/services/organization-create";
import { addMember, createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

const session = vi.hoisted(() => ({ userId: null as string | null, preferred: undefined as string | undefined }));

vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/auth/session", async () => {
  const { getAccount } = await import("@/lib/services/accounts");
  const { resolveActiveOrganization } = await import("@/lib/services/workspace");
  const getSessionUser = async () => (session.userId ? getAccount(session.userId) : null);
  return {
    getSessionUser,
    getWorkspace: async () => {
      const user = await getSessionUser();
      if (!user) return null;
      return { user, ...(await resolveActiveOrganization(user.id, session.preferred)) };
    },
    setActiveOrgPreference: async (id: string) => {
      session.preferred = id;
    },
  };
});

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};

/** The path a server action redirected to (Next.js redirects by throwing), or a failure. */
async function redirectOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    (result) => {
      throw new Error(`expected a redirect, got ${JSON.stringify(result)}`);
    },
    (e: unknown) => e,
  );
  const digest = String((error as { digest?: unknown }).digest ?? "");
  if (!digest.startsWith("NEXT_REDIRECT")) throw error;
  return digest.split(";")[2]!;
}

const signInAs = (userId: string | null, preferred?: string) => {
  session.userId = userId;
  session.preferred = preferred;
};
const newUser = (verified = true) =>
  getPrisma().user.create({
    data: { email: `user-${randomBytes(4).toString("hex")}@example.test`, emailVerified: verified ? new Date() : null },
  });

let org: TestOrg;
beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
  signInAs(org.ownerId, org.id);
});
afterEach(() => {
  vi.unstubAllEnvs();
  reloadEnv();
});

describe("createOrganizationAction", () => {
  it("creates a trial organization owned by the user, audits it, makes it active and opens settings", async () => {
    const user = await newUser();
    signInAs(user.id);
    const before = Date.now();
    expect(await redirectOf(createOrganizationAction(null, form({ name: "  New Co  " })))).toBe("/settings");

    const membership = await getPrisma().membership.findFirstOrThrow({ where: { userId: user.id }, include: { organization: true } });
    expect(membership.roleId).toBe(SYSTEM_ROLES.Owner);
    expect(membership.organization).toMatchObject({ name: "New Co", plan: "TRIAL", seatLimit: null });
    const trialDays = (membership.organization.trialEndsAt!.getTime() - before) / 86_400_000;
    expect(trialDays).toBeGreaterThan(13.99);
    expect(trialDays).toBeLessThan(14.01);
    expect(session.preferred).toBe(membership.organizationId);

    const events = await getPrisma().auditEvent.findMany({ where: { organizationId: membership.organizationId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "org.create",
      actorType: "user",
      actorId: user.id,
      targetType: "organization",
      targetId: membership.organizationId,
      metadata: { name: "New Co" },
    });
    expect(events[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses an unverified account (it owns nothing until a mailed link proves its address)", async () => {
    const user = await newUser(false);
    signInAs(user.id);
    expect(await createOrganizationAction(null, form({ name: "Squatted" }))).toEqual({
      ok: false,
      error: "Verify your email address before creating an organization",
    });
    expect(await getPrisma().organization.count({ where: { name: "Squatted" } })).toBe(0);
  });

  it("refuses an empty or too long name with a field error and creates nothing", async () => {
    expect(await createOrganizationAction(null, form({ name: "   " }))).toEqual({
      ok: false,
      error: "Enter a name.",
      fieldErrors: { name: ["Enter a name."] },
    });
    const long = await createOrganizationAction(null, form({ name: "x".repeat(101) }));
    expect(long).toMatchObject({ ok: false, fieldErrors: { name: ["Use at most 100 characters."] } });
    expect(await getPrisma().organization.count()).toBe(1);
  });

  it("is refused when DISABLE_ORG_CREATION is set, by the action and by the service", async () => {
    vi.stubEnv("DISABLE_ORG_CREATION", "true");
    reloadEnv();
    expect(await createOrganizationAction(null, form({ name: "Nope" }))).toEqual({
      ok: false,
      error: "Creating organizations is turned off on this installation",
    });
    await expect(createOrganization({ userId: org.ownerId, name: "Nope" })).rejects.toMatchObject({ code: "forbidden", status: 403 });
    expect(await getPrisma().organization.count()).toBe(1);
    expect(await getPrisma().auditEvent.count()).toBe(0);
  });

  it("asks a signed-out visitor to sign in", async () => {
    signInAs(null);
    expect(await createOrganizationAction(null, form({ name: "Ghost" }))).toEqual({ ok: false, error: "Your session has ended. Sign in again." });
    expect(await getPrisma().organization.count()).toBe(1);
  });
});

describe("switchOrganization", () => {
  it("switches to another organization of the user", async () => {
    const other = await createOrg({ name: "Other" });
    await addMember(other.id, (await getPrisma().user.findUniqueOrThrow({ where: { id: org.ownerId } })).email);
    expect(await redirectOf(switchOrganization(null, form({ organizationId: other.id })))).toBe("/settings");
    expect(session.preferred).toBe(other.id);
  });

  it("refuses an organization the user is not a member of and keeps the active one", async () => {
    const stranger = await createOrg({ name: "Stranger" });
    expect(await switchOrganization(null, form({ organizationId: stranger.id }))).toEqual({
      ok: false,
      error: "You are not a member of that organization.",
    });
    expect(await switchOrganization(null, form({}))).toMatchObject({ ok: false });
    expect(session.preferred).toBe(org.id);
  });
});

describe("renameOrganization", () => {
  it("renames for an Owner, trimmed and audited", async () => {
    const result = await renameOrganization(null, form({ name: "  Acme Labs " }));
    expect(result).toMatchObject({ ok: true, data: { id: org.id, name: "Acme Labs" } });
    expect((await getPrisma().organization.findUniqueOrThrow({ where: { id: org.id } })).name).toBe("Acme Labs");
    const event = await getPrisma().auditEvent.findFirstOrThrow({ where: { action: "org.update" } });
    expect(event).toMatchObject({ actorType: "user", actorId: org.ownerId, metadata: { name: { from: "Acme", to: "Acme Labs" } } });
  });

  it("refuses a Member and changes nothing", async () => {
    const member = await addMember(org.id, "member@example.test");
    signInAs(member.id, org.id);
    expect(await renameOrganization(null, form({ name: "Hijacked" }))).toEqual({ ok: false, error: "Your role does not allow this action (it needs the organization:manage permission)" });
    expect((await getPrisma().organization.findUniqueOrThrow({ where: { id: org.id } })).name).toBe("Acme");
    expect(await getPrisma().auditEvent.count()).toBe(0);
  });

  it("answers a field error for an empty name", async () => {
    expect(await renameOrganization(null, form({ name: "" }))).toEqual({
      ok: false,
      error: "Enter a name.",
      fieldErrors: { name: ["Enter a name."] },
    });
    expect((await getPrisma().organization.findUniqueOrThrow({ where: { id: org.id } })).name).toBe("Acme");
  });
});

describe("getOrganizationOverview", () => {
  async function invite(email: string, status: "PENDING" | "DECLINED" | "REVOKED", expiresInMs: number) {
    await getPrisma().invitation.create({
      data: {
        organizationId: org.id,
        email,
        roleId: SYSTEM_ROLES.Member,
        status,
        tokenHash: randomBytes(32).toString("hex"),
        expiresAt: new Date(Date.now() + expiresInMs),
      },
    });
  }

  it("counts members and live pending invitations only, and reports plan, trial and seat limit", async () => {
    const trialEndsAt = new Date(Date.now() + 5 * 86_400_000);
    await getPrisma().organization.update({ where: { id: org.id }, data: { plan: "TRIAL", trialEndsAt, seatLimit: 5 } });
    const member = await addMember(org.id, "member@example.test");
    await invite("live@example.test", "PENDING", 86_400_000);
    await invite("expired@example.test", "PENDING", -1000);
    await invite("declined@example.test", "DECLINED", 86_400_000);
    await invite("revoked@example.test", "REVOKED", 86_400_000);

    // A Member may read it (organization:read), like the Owner.
    const overview = await getOrganizationOverview({ actor: { type: "user", userId: member.id, organizationId: org.id }, requestId: "t" });
    expect(overview).toMatchObject({ id: org.id, name: "Acme", plan: "TRIAL", trialEndsAt, seatLimit: 5, members: 2, pendingInvitations: 1 });
  });

  it("refuses a user outside the organization", async () => {
    const outsider = await newUser();
    await expect(
      getOrganizationOverview({ actor: { type: "user", userId: outsider.id, organizationId: org.id }, requestId: "t" }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });
});
