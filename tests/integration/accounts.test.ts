import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { open } from "@/lib/crypto/secret-box";
import { getPrisma } from "@/lib/db";
import { reloadEnv } from "@/lib/env";
import { OUTBOX_SECRET_PURPOSE } from "@/lib/services/invitations/outbox";
import {
  queueSignInLink,
  registerAccount,
  sendVerificationEmail,
  signupAllowed,
  verifyCredentials,
  verifyEmailToken,
} from "@/lib/services/accounts";
import { createInvitations } from "@/lib/services/invitations";
import { isSessionLive, startSession } from "@/lib/services/sessions";
import { createOrg } from "../helpers/fixtures";
import { testDatabase } from "../helpers/setup-database";
import { resetDatabase } from "../helpers/test-db";

beforeEach(() => resetDatabase(testDatabase().db));
afterEach(() => {
  vi.unstubAllEnvs();
  reloadEnv();
});

async function verifyLinkFor(email: string) {
  const row = await getPrisma().emailOutbox.findFirstOrThrow({ where: { recipient: email, kind: "verify-email" } });
  return JSON.parse(open(row.secret!, OUTBOX_SECRET_PURPOSE)).url as string;
}

describe("accounts", () => {
  it("registers with a hashed password, queues a verification email, and verifies once", async () => {
    const user = await registerAccount({ email: " Ada@Example.com ", password: "correct horse battery", name: "Ada" });
    expect(user.email).toBe("ada@example.com");
    const row = await getPrisma().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(row.emailVerified).toBeNull();

    const url = await verifyLinkFor("ada@example.com");
    const token = new URL(url).searchParams.get("token")!;
    // Only the token's hash is stored.
    const stored = await getPrisma().verificationToken.findFirstOrThrow();
    expect(stored.token).toBe(createHash("sha256").update(token).digest("hex"));

    // Another account cannot use it (and does not use it up); its owner can, once.
    const other = await getPrisma().user.create({ data: { email: "eve@example.com" } });
    expect(await verifyEmailToken(token, other.id)).toBe("other-account");
    expect(await getPrisma().user.count({ where: { emailVerified: { not: null } } })).toBe(0);
    expect(await verifyEmailToken(token, user.id)).toBe("verified");
    expect((await getPrisma().user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBeInstanceOf(Date);
    expect(await verifyEmailToken(token, user.id)).toBe("invalid");
    expect(await verifyEmailToken("garbage", user.id)).toBe("invalid");
  });

  it("a first verification ends the account's other sessions, keeping the one that verified", async () => {
    const user = await registerAccount({ email: "ada@example.com", password: "correct horse battery" });
    const [here, elsewhere] = [await startSession(user.id), await startSession(user.id)];
    const token = new URL(await verifyLinkFor("ada@example.com")).searchParams.get("token")!;
    expect(await verifyEmailToken(token, user.id, here)).toBe("verified");
    expect([await isSessionLive(user.id, here), await isSessionLive(user.id, elsewhere)]).toEqual([true, false]);
  });

  it("checks passwords, with one answer for unknown email and wrong password", async () => {
    await registerAccount({ email: "ada@example.com", password: "correct horse battery" });
    expect(await verifyCredentials("ADA@example.com", "correct horse battery")).toMatchObject({ email: "ada@example.com" });
    expect(await verifyCredentials("ada@example.com", "wrong password")).toBeNull();
    expect(await verifyCredentials("nobody@example.com", "correct horse battery")).toBeNull();
  });

  it("requires 10-character passwords and spaces out verification emails", async () => {
    await expect(registerAccount({ email: "short@example.com", password: "123456789" })).rejects.toThrow(/at least 10/);
    expect(await getPrisma().user.count()).toBe(0);
    await registerAccount({ email: "ada@example.com", password: "correct horse battery" });
    await expect(sendVerificationEmail("ada@example.com")).rejects.toThrow(/less than a minute ago/);
    expect(await getPrisma().emailOutbox.count({ where: { kind: "verify-email" } })).toBe(1);
  });

  it("never attaches a password to an existing account", async () => {
    await getPrisma().user.create({ data: { email: "linkonly@example.com" } });
    await expect(registerAccount({ email: "linkonly@example.com", password: "attacker password" })).rejects.toThrow(/already exists/);
    expect((await getPrisma().user.findUniqueOrThrow({ where: { email: "linkonly@example.com" } })).passwordHash).toBeNull();
  });

  it("honours AUTH_DISABLE_SIGNUP for password accounts, invited or not; invitees use an email link", async () => {
    vi.stubEnv("AUTH_DISABLE_SIGNUP", "true");
    reloadEnv();
    await expect(registerAccount({ email: "stranger@example.com", password: "some long password" })).rejects.toThrow(/Sign-up with a password is closed/);
    const org = await createOrg();
    const ctx = { actor: { type: "apiKey" as const, apiKeyId: org.apiKeyId, organizationId: org.id, creatorUserId: null }, requestId: "r" };
    await createInvitations(ctx, { emails: ["invited@example.com"] });
    await expect(registerAccount({ email: "Invited@example.com", password: "some long password" })).rejects.toThrow(/Continue with email/);
    expect(await getPrisma().user.count()).toBe(1); // the org's owner
    // The email-link path still lets the invitee in (Auth.js's signIn callback asks this).
    expect([await signupAllowed("invited@example.com"), await signupAllowed("stranger@example.com")]).toEqual([true, false]);
  });

  it("queues the sign-in link encrypted, through the outbox, pointing at the confirmation page on APP_URL", async () => {
    const authJs = "http://evil.example/api/auth/callback/email?callbackUrl=http%3A%2F%2Fevil.example%2Finvite%2Fx&token=abc&email=ada%40example.com";
    await queueSignInLink("Ada@Example.com", authJs, new Date(Date.now() + 30 * 60_000));
    const row = await getPrisma().emailOutbox.findFirstOrThrow();
    expect(row).toMatchObject({ kind: "sign-in-link", recipient: "ada@example.com", payload: { expiresInMinutes: 30 } });
    expect(row.secret).not.toContain("token=abc");
    const url = new URL(JSON.parse(open(row.secret!, OUTBOX_SECRET_PURPOSE)).url);
    expect([url.origin, url.pathname, Object.fromEntries(url.searchParams)]).toEqual([
      "http://localhost:3000",
      "/sign-in/confirm",
      { token: "abc", email: "ada@example.com", callbackUrl: "/invite/x" },
    ]);
  });
});
