// The invitee's and signer-in's journeys end somewhere useful (issue 13): no "we sent a link"
// when nothing can be sent, a used or expired sign-in link offers a new one for the same
// address and destination, accepting says where you joined, declining says what you declined,
// and a link you already used says you are in.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sendSignInLink, signUp } from "@/lib/actions/auth";
import { acceptInviteAction, declineInviteAction } from "@/lib/actions/invite";
import { getPrisma } from "@/lib/db";
import { PROJECT_ROLES } from "@/lib/db/system-roles";
import { MAIL_UNAVAILABLE } from "@/lib/email/delivery";
import { reloadEnv } from "@/lib/env";
import { answeredInvitationFor, createInvitations, projectScope } from "@/lib/services/invitations";
import { signInLinkUsable } from "@/lib/services/sign-in-links";
import { AuthBrowser, mailedLink } from "../helpers/auth-flow";
import { createOrg, type TestOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

const session = vi.hoisted(() => ({ userId: "" }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-forwarded-for": "198.51.100.3" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw Object.assign(new Error(`NEXT_REDIRECT ${to}`), { digest: `NEXT_REDIRECT;replace;${to};307;` });
  },
}));
vi.mock("@/lib/auth/session", async () => {
  const { getPrisma: prisma } = await import("@/lib/db");
  return {
    getSessionUser: async () => {
      const row = await prisma().user.findUnique({ where: { id: session.userId } });
      return row && { id: row.id, email: row.email, name: row.name, emailVerified: row.emailVerified, hasPassword: false, sessionId: "" };
    },
    setActiveOrgPreference: async () => undefined,
  };
});

let org: TestOrg;
const keyCtx = () => ({
  actor: { type: "apiKey" as const, apiKeyId: org.apiKeyId, organizationId: org.id, creatorUserId: null },
  requestId: "r",
});

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
  org = await createOrg({ name: "Acme" });
});
afterEach(() => {
  vi.unstubAllEnvs();
  reloadEnv();
});

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

async function redirectOf(promise: Promise<unknown>): Promise<string> {
  const error = (await promise.then(
    (result) => {
      throw new Error(`expected a redirect, got ${JSON.stringify(result)}`);
    },
    (e: unknown) => e,
  )) as { digest?: string };
  if (!String(error.digest ?? "").startsWith("NEXT_REDIRECT")) throw error;
  return error.digest!.split(";")[2]!;
}

async function invitee(email: string, scope = {}) {
  const { invitations, tokens } = await createInvitations(keyCtx(), { emails: [email], ...scope });
  const user = await getPrisma().user.create({ data: { email, emailVerified: new Date() } });
  session.userId = user.id;
  return { id: invitations[0]!.id, token: tokens.get(invitations[0]!.id)!, user };
}

describe("when no mail can be sent (production without RESEND_API_KEY)", () => {
  it("the sign-in-link form and sign-up say so instead of claiming a link is on its way; nothing is queued", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("RESEND_API_KEY", "");
    reloadEnv();
    expect(await sendSignInLink(null, form({ email: "ada@example.com" }))).toEqual({ ok: false, error: MAIL_UNAVAILABLE });
    const signUpAnswer = await signUp(null, form({ email: "ada@example.com", password: "correct horse battery" }));
    expect(signUpAnswer).toEqual({ ok: false, error: expect.stringMatching(/^New accounts cannot be verified yet/) });
    expect([await getPrisma().emailOutbox.count(), await getPrisma().user.count({ where: { email: "ada@example.com" } })]).toEqual([0, 0]);
  });
});

describe("a sign-in link's page", () => {
  it("knows a usable link from a used or expired one, without using it", async () => {
    await getPrisma().user.create({ data: { email: "ada@example.com", emailVerified: new Date() } });
    const browser = new AuthBrowser();
    await browser.requestSignInLink("ada@example.com", "/invite/abc");
    const link = new URL(await mailedLink("ada@example.com", "sign-in-link"));
    const [email, token] = [link.searchParams.get("email")!, link.searchParams.get("token")!];
    expect(link.searchParams.get("callbackUrl")).toBe("/invite/abc");
    expect(await signInLinkUsable(email, token)).toBe(true);
    expect(await signInLinkUsable(email, token)).toBe(true); // asking does not use it
    await browser.useSignInLink(link.toString());
    expect(await signInLinkUsable(email, token)).toBe(false);
    expect(await signInLinkUsable(email, "0".repeat(64))).toBe(false);
    expect(await signInLinkUsable("not an address", token)).toBe(false);
  });
});

describe("answering an invitation", () => {
  it("accepting an organization invitation leads to its settings, which say whom you joined", async () => {
    const { token } = await invitee("ada@example.com");
    expect(await redirectOf(acceptInviteAction(null, form({ token })))).toBe("/settings?joined=1");
  });

  it("accepting a project invitation leads to the project", async () => {
    const project = await getPrisma().project.create({ data: { organizationId: org.id, name: "Forecasting" } });
    const { invitations, tokens } = await createInvitations(keyCtx(), { emails: ["bob@example.com"], projectRoleId: PROJECT_ROLES.Member }, projectScope(project.id));
    const user = await getPrisma().user.create({ data: { email: "bob@example.com", emailVerified: new Date() } });
    session.userId = user.id;
    const token = tokens.get(invitations[0]!.id)!;
    expect(await redirectOf(acceptInviteAction(null, form({ token })))).toBe(`/settings/projects/${project.id}?joined=1`);
  });

  it("declining leads to a page that names what was declined; reopening a used link says you are in", async () => {
    const declined = await invitee("dee@example.com");
    expect(await redirectOf(declineInviteAction(null, form({ token: declined.token })))).toBe(`/invitations/declined/${declined.id}`);
    expect(await answeredInvitationFor(declined.user.id, { id: declined.id })).toMatchObject({
      status: "DECLINED",
      organizationName: "Acme",
      member: false,
    });

    const accepted = await invitee("acc@example.com");
    await redirectOf(acceptInviteAction(null, form({ token: accepted.token })));
    expect(await answeredInvitationFor(accepted.user.id, { token: accepted.token })).toMatchObject({
      status: "ACCEPTED",
      organizationId: org.id,
      member: true,
    });
    // Someone else's invitation tells them nothing.
    expect(await answeredInvitationFor(declined.user.id, { token: accepted.token })).toBeNull();
    expect(await answeredInvitationFor(declined.user.id, { id: accepted.id })).toBeNull();
  });
});
