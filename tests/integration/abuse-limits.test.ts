// Abuse controls (issue 11) through the real Auth.js handlers, route handlers and services on a
// real database: throttled password sign-in and requested mail, the daily invitation quota, the
// API key limit, one email rule at Auth.js's own endpoint, answers that do not enumerate
// accounts, sessions that end, and what a wrong password logs. Limits are counted, not timed.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as apiKeysRoute from "@/app/v1/organization/api-keys/route";
import * as invitationsRoute from "@/app/v1/organization/invitations/route";
import * as invitationRoute from "@/app/v1/organization/invitations/[invitationId]/route";
import { signUp } from "@/lib/actions/auth";
import { inviteMembersAction } from "@/lib/actions/invitations";
import { getPrisma } from "@/lib/db";
import { reloadEnv } from "@/lib/env";
import { registerAccount } from "@/lib/services/accounts";
import { resolveActiveOrganization } from "@/lib/services/workspace";
import { removeMember } from "@/lib/services/members";
import { call } from "../helpers/api";
import { AuthBrowser } from "../helpers/auth-flow";
import { addMember, createOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

const session = vi.hoisted(() => ({ userId: "", client: "198.51.100.20" }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-forwarded-for": session.client }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw Object.assign(new Error(`NEXT_REDIRECT ${to}`), { digest: `NEXT_REDIRECT;replace;${to};307;` });
  },
}));
vi.mock("@/lib/auth/session", async () => {
  const { getPrisma: prisma } = await import("@/lib/db");
  const { resolveActiveOrganization: resolve } = await import("@/lib/services/workspace");
  return {
    getWorkspace: async () => {
      const row = await prisma().user.findUnique({ where: { id: session.userId } });
      if (!row) return null;
      const user = { id: row.id, email: row.email, name: row.name, emailVerified: row.emailVerified, hasPassword: true, sessionId: "" };
      return { user, ...(await resolve(row.id, undefined)) };
    },
  };
});

const PASSWORD = "correct horse battery";

beforeEach(async () => {
  await resetDatabase(testDatabase().db);
});
afterEach(() => {
  vi.unstubAllEnvs();
  reloadEnv();
  vi.restoreAllMocks();
});

function setEnv(values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
  reloadEnv();
}

async function verifiedAccount(email: string) {
  const user = (await registerAccount({ email, password: PASSWORD }, undefined, "203.0.113.250"))!;
  await getPrisma().user.update({ where: { id: user.id }, data: { emailVerified: new Date() } });
  await getPrisma().rateLimitBucket.deleteMany(); // registering counted a requested email
  return user;
}

const mailTo = (recipient: string, kind?: string) => getPrisma().emailOutbox.count({ where: { recipient, ...(kind ? { kind } : {}) } });

/** A redirect from a server action (Next.js redirects by throwing). */
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

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

describe("password sign-in", () => {
  it("refuses an account after SIGNIN_ATTEMPTS_PER_ACCOUNT attempts, even with the right password; other accounts sign in", async () => {
    await verifiedAccount("ada@example.com");
    await verifiedAccount("bob@example.com");
    const attacker = new AuthBrowser("localhost:3000", "198.51.100.66");
    const outcomes = [];
    for (let i = 0; i < 12; i++) outcomes.push(await attacker.passwordOutcome("ada@example.com", `guess number ${i}`));
    expect(outcomes).toEqual([...Array(10).fill("credentials"), "rate_limited", "rate_limited"]);
    // The right password no longer helps, from anywhere, for this window.
    expect(await new AuthBrowser("localhost:3000", "192.0.2.44").passwordOutcome("ada@example.com", PASSWORD)).toBe("rate_limited");
    // Another account is not affected, even from the attacker's address.
    expect(await attacker.passwordOutcome("bob@example.com", PASSWORD)).toBe("ok");
    const counter = await getPrisma().rateLimitBucket.findFirstOrThrow({ where: { key: "signin:account:ada@example.com" } });
    expect(counter.count).toBe(13);
  });

  it("refuses a client address after SIGNIN_ATTEMPTS_PER_CLIENT attempts across accounts; other clients are not affected", async () => {
    setEnv({ SIGNIN_ATTEMPTS_PER_CLIENT: "4" });
    for (const name of ["a", "b", "c", "d", "e"]) await verifiedAccount(`${name}@example.com`);
    const sprayer = new AuthBrowser("localhost:3000", "198.51.100.77");
    const outcomes = [];
    for (const name of ["a", "b", "c", "d", "e"]) outcomes.push(await sprayer.passwordOutcome(`${name}@example.com`, "Winter2026!!"));
    expect(outcomes).toEqual(["credentials", "credentials", "credentials", "credentials", "rate_limited"]);
    expect(await new AuthBrowser("localhost:3000", "192.0.2.45").passwordOutcome("e@example.com", PASSWORD)).toBe("ok");
  });

  it("logs a wrong password as one INFO line without a stack", async () => {
    await verifiedAccount("ada@example.com");
    const info = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(await new AuthBrowser().passwordOutcome("ada@example.com", "wrong password")).toBe("credentials");
    expect(error).not.toHaveBeenCalled();
    const lines = info.mock.calls.map((c) => String(c[0])).filter((line) => line.includes("sign-in"));
    expect(lines).toEqual(['[confident] INFO Password sign-in refused {"reason":"credentials"}']);
  });
});

describe("emails sent on request", () => {
  it("sends at most EMAILS_PER_ADDRESS_PER_HOUR sign-in links to one address; another address is not affected", async () => {
    await verifiedAccount("ada@example.com");
    await verifiedAccount("bob@example.com");
    const answers = new Set<string>();
    for (let i = 0; i < 7; i++) {
      const client = new AuthBrowser("localhost:3000", `198.51.100.${100 + i}`);
      answers.add((await client.requestSignInLink("ada@example.com")).headers.get("location") ?? "");
    }
    // Auth.js's endpoint answers "check your inbox" every time (no hint for a prober); only 5 went out.
    expect([...answers]).toEqual(["http://localhost:3000/api/auth/verify-request?provider=email&type=email"]);
    expect(await mailTo("ada@example.com", "sign-in-link")).toBe(5);
    // Our form says why, for the same address and client.
    const { signInLinkRefusal } = await import("@/lib/services/sign-in-links");
    expect(await signInLinkRefusal("ada@example.com", "198.51.100.106")).toMatch(/^Too many emails were requested for this address/);
    expect(await signInLinkRefusal("ada@example.com", "198.51.100.106".replace("106", "200"))).toMatch(/for this address/);
    await new AuthBrowser().requestSignInLink("bob@example.com");
    expect(await mailTo("bob@example.com", "sign-in-link")).toBe(1);
  });

  it("sends at most EMAILS_PER_CLIENT_PER_HOUR from one client address, whatever the recipients", async () => {
    setEnv({ EMAILS_PER_CLIENT_PER_HOUR: "3" });
    const spammer = new AuthBrowser("localhost:3000", "198.51.100.88");
    for (let i = 0; i < 5; i++) await spammer.requestSignInLink(`victim-${i}@example.com`);
    expect(await getPrisma().emailOutbox.count()).toBe(3);
    await new AuthBrowser("localhost:3000", "192.0.2.46").requestSignInLink("victim-4@example.com");
    expect(await mailTo("victim-4@example.com")).toBe(1);
  });

  it("Auth.js's own endpoint applies the one email rule: lists, quoted local parts and no-@ strings send nothing", async () => {
    for (const bad of ["victim@x.test,attacker@evil.test", '"a b"@x.test', "no-at-sign", "victim@x.test attacker@evil.test"]) {
      const response = await new AuthBrowser().requestSignInLink(bad);
      expect(response.status).toBeLessThan(500);
    }
    expect(await getPrisma().emailOutbox.count()).toBe(0);
    expect(await getPrisma().verificationToken.count()).toBe(0);
  });

  it("the 'you already have an account' email is limited like the others", async () => {
    await verifiedAccount("ada@example.com");
    session.client = "198.51.100.90";
    const answers = [];
    for (let i = 0; i < 6; i++) {
      answers.push(await signUp(null, form({ email: "ada@example.com", password: "someone else's pw" })).then((r) => r, (e: { digest?: string }) => e.digest?.split(";")[2]));
    }
    expect(answers.slice(0, 5)).toEqual(Array(5).fill("/sign-up/check-email?email=ada%40example.com&callbackUrl=%2Fsettings"));
    expect(answers[5]).toMatchObject({ ok: false, error: expect.stringMatching(/^Too many emails were requested for this address/) });
    expect(await mailTo("ada@example.com", "account-exists")).toBe(5);
  });
});

describe("answers that do not tell which addresses have accounts", () => {
  it("sign-up answers the same page for a new and for an existing address", async () => {
    await verifiedAccount("taken@example.com");
    const taken = await redirectOf(signUp(null, form({ email: "taken@example.com", password: PASSWORD })));
    const fresh = await redirectOf(signUp(null, form({ email: "fresh@example.com", password: PASSWORD })));
    expect(taken.replace("taken", "X")).toBe(fresh.replace("fresh", "X"));
    expect([await mailTo("taken@example.com", "account-exists"), await mailTo("fresh@example.com", "verify-email")]).toEqual([1, 1]);
  });

  it("with sign-up closed, a sign-in link request answers the same for invited and unknown addresses", async () => {
    setEnv({ AUTH_DISABLE_SIGNUP: "true" });
    const org = await createOrg();
    await call(invitationsRoute, "POST", { key: org.key, body: { emails: ["invited@example.com"] } });
    const invited = await new AuthBrowser().requestSignInLink("invited@example.com");
    const unknown = await new AuthBrowser().requestSignInLink("unknown@example.com");
    expect([invited.status, unknown.status]).toEqual([302, 302]);
    expect(invited.headers.get("location")).toBe(unknown.headers.get("location"));
    expect([await mailTo("invited@example.com", "sign-in-link"), await mailTo("unknown@example.com")]).toEqual([1, 0]);
    // The sign-up page's answer is the same refusal for both.
    const [a, b] = [
      await signUp(null, form({ email: "invited@example.com", password: PASSWORD })),
      await signUp(null, form({ email: "unknown@example.com", password: PASSWORD })),
    ];
    expect(a).toEqual(b);
  });

  it("a NUL or control character in the sign-up name is a validation message, not an error", async () => {
    const answer = await signUp(null, form({ name: "Ada\u0000Lovelace", email: "ada@example.com", password: PASSWORD }));
    expect(answer).toMatchObject({ ok: false, fieldErrors: { name: ["Name must not contain control characters"] } });
    expect(await getPrisma().user.count()).toBe(0);
  });
});

describe("invitations per organization per day", () => {
  it("a trial organization sends INVITATIONS_PER_DAY_TRIAL, API and UI together; the answer says when more can go", async () => {
    setEnv({ INVITATIONS_PER_DAY_TRIAL: "5", INVITATION_RESEND_COOLDOWN_SECONDS: "0" });
    const trial = await createOrg({ plan: "TRIAL", trialEndsAt: new Date(Date.now() + 86_400_000) });
    const team = await createOrg({ plan: "TEAM" });
    const invite = (emails: string[], key = trial.key) => call(invitationsRoute, "POST", { key, body: { emails } });

    expect((await invite(["a@x.test", "b@x.test"])).status).toBe(200);
    const tooMany = await invite(["c@x.test", "d@x.test", "e@x.test", "f@x.test"]);
    expect([tooMany.status, tooMany.body.code]).toEqual([429, "rate_limited"]);
    expect(tooMany.body.error).toMatch(/^This organization can send 3 more invitations today \(at most 5 a day\)/);
    const retryAfter = Number(tooMany.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    expect(await getPrisma().invitation.count({ where: { organizationId: trial.id } })).toBe(2);

    // The settings UI draws on the same quota (2 sent, 1 more now), then a resend takes the last.
    const owner = await getPrisma().user.findUniqueOrThrow({ where: { id: trial.ownerId } });
    session.userId = owner.id;
    const ui = await inviteMembersAction(null, form({ emails: "c@x.test" }));
    expect(ui.ok).toBe(true);
    const first = (await getPrisma().invitation.findFirstOrThrow({ where: { organizationId: trial.id, email: "a@x.test" } })).id;
    expect((await call(invitationRoute, "PUT", { key: trial.key, params: { invitationId: String(first) } })).status).toBe(200);
    expect((await call(invitationRoute, "PUT", { key: trial.key, params: { invitationId: String(first) } })).status).toBe(200);
    const uiRefused = await inviteMembersAction(null, form({ emails: "z@x.test" }));
    expect(uiRefused).toMatchObject({ ok: false, error: expect.stringMatching(/^This organization has sent its 5 invitations for today. More can be sent in/) });
    expect((await invite(["g@x.test"])).status).toBe(429);

    // Another organization, on a paid plan, is not affected.
    expect((await invite(["a@x.test", "b@x.test", "c@x.test", "d@x.test", "e@x.test", "f@x.test"], team.key)).status).toBe(200);
    expect(await getPrisma().invitation.count({ where: { organizationId: team.id } })).toBe(6);
  });
});

describe("API keys per organization", () => {
  it("creates at most API_KEYS_PER_ORG keys; the next is refused until one is deleted; other orgs unaffected", async () => {
    setEnv({ API_KEYS_PER_ORG: "3" });
    const org = await createOrg(); // has one key already
    const other = await createOrg();
    const create = (key = org.key) => call(apiKeysRoute, "POST", { key, body: { name: "minted" } });
    expect([(await create()).status, (await create()).status]).toEqual([200, 200]);
    const refused = await create();
    expect([refused.status, refused.body.error]).toEqual([403, expect.stringMatching(/already has 3 API keys/)]);
    expect(await getPrisma().apiKey.count({ where: { organizationId: org.id } })).toBe(3);
    expect((await create(other.key)).status).toBe(200);
  });
});

describe("sessions", () => {
  it("signing out ends the session: the old cookie no longer signs anyone in", async () => {
    await verifiedAccount("ada@example.com");
    const browser = new AuthBrowser();
    expect(await browser.passwordOutcome("ada@example.com", PASSWORD)).toBe("ok");
    const copied = new AuthBrowser();
    for (const [name, value] of browser.cookies) copied.cookies.set(name, value);
    expect((await copied.session())?.user?.email).toBe("ada@example.com");
    await browser.signOut();
    expect(await browser.session()).toBeNull();
    expect(await copied.session()).toBeNull();
    expect(await getPrisma().userSession.count()).toBe(0);
  });

  it("removing a member ends their access to that organization at once", async () => {
    const org = await createOrg();
    const member = await addMember(org.id, "leaver@example.com");
    expect((await resolveActiveOrganization(member.id, org.id)).active?.id).toBe(org.id);
    await removeMember({ actor: { type: "user", userId: org.ownerId, organizationId: org.id }, requestId: "r" }, member.id);
    expect((await resolveActiveOrganization(member.id, org.id)).active).toBeNull();
  });
});
