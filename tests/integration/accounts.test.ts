import { createHash, randomBytes, scryptSync } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { open } from "@/lib/crypto/secret-box";
import { getPrisma } from "@/lib/db";
import { reloadEnv } from "@/lib/env";
import { OUTBOX_SECRET_PURPOSE } from "@/lib/services/invitations/outbox";
import { hashPassword } from "@/lib/auth/password";
import { changePassword, registerAccount, signupAllowed, verifyCredentials } from "@/lib/services/accounts";
import { sendVerificationEmail, verifyEmailToken } from "@/lib/services/email-verification";
import { queueSignInLink } from "@/lib/services/sign-in-links";
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

const CLIENT = "203.0.113.9";
const register = async (email: string, password = "correct horse battery", name?: string) =>
  (await registerAccount({ email, password, name }, undefined, CLIENT))!;

/** A hash in the format stored before argon2id: scrypt N=2^15, r=8, p=1. */
function legacyScryptHash(password: string) {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize("NFKC"), salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return `scrypt$32768$8$1$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

async function verifyLinkFor(email: string) {
  const row = await getPrisma().emailOutbox.findFirstOrThrow({ where: { recipient: email, kind: "verify-email" } });
  return JSON.parse(open(row.secret!, OUTBOX_SECRET_PURPOSE)).url as string;
}

describe("accounts", () => {
  it("registers with a hashed password, queues a verification email, and verifies once", async () => {
    const user = await register(" Ada@Example.com ", "correct horse battery", "Ada");
    expect(user.email).toBe("ada@example.com");
    const row = await getPrisma().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
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
    const user = await register("ada@example.com");
    const [here, elsewhere] = [await startSession(user.id), await startSession(user.id)];
    const token = new URL(await verifyLinkFor("ada@example.com")).searchParams.get("token")!;
    expect(await verifyEmailToken(token, user.id, here)).toBe("verified");
    expect([await isSessionLive(user.id, here), await isSessionLive(user.id, elsewhere)]).toEqual([true, false]);
  });

  it("checks passwords, with one answer for unknown email and wrong password", async () => {
    await register("ada@example.com");
    expect(await verifyCredentials("ADA@example.com", "correct horse battery", CLIENT)).toMatchObject({ email: "ada@example.com" });
    expect(await verifyCredentials("ada@example.com", "wrong password", CLIENT)).toBeNull();
    expect(await verifyCredentials("nobody@example.com", "correct horse battery", CLIENT)).toBeNull();
  });

  it("upgrades an old scrypt hash to argon2id at the next right password, and only then", async () => {
    const old = legacyScryptHash("correct horse battery");
    const user = await getPrisma().user.create({ data: { email: "old@example.com", passwordHash: old, emailVerified: new Date() } });
    expect(await verifyCredentials("old@example.com", "wrong password", CLIENT)).toBeNull();
    expect((await getPrisma().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(old);
    expect(await verifyCredentials("old@example.com", "correct horse battery", CLIENT)).toMatchObject({ id: user.id });
    const upgraded = (await getPrisma().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash!;
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyCredentials("old@example.com", "correct horse battery", CLIENT)).toMatchObject({ id: user.id });
    expect((await getPrisma().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(upgraded);
  });

  it("requires 10-character passwords and spaces out verification emails", async () => {
    await expect(register("short@example.com", "123456789")).rejects.toThrow(/at least 10/);
    expect(await getPrisma().user.count()).toBe(0);
    await register("ada@example.com");
    await expect(sendVerificationEmail("ada@example.com", undefined, CLIENT)).rejects.toThrow(/less than a minute ago/);
    expect(await getPrisma().emailOutbox.count({ where: { kind: "verify-email" } })).toBe(1);
  });

  it("answers an existing address like a new one: nothing is changed, its owner is told by email", async () => {
    await getPrisma().user.create({ data: { email: "linkonly@example.com", emailVerified: new Date() } });
    const answerNew = await registerAccount({ email: "fresh@example.com", password: "attacker password" }, undefined, CLIENT);
    const answerExisting = await registerAccount({ email: "linkonly@example.com", password: "attacker password" }, undefined, CLIENT);
    expect([answerNew?.email, answerExisting]).toEqual(["fresh@example.com", null]); // the action shows both the same page
    expect((await getPrisma().user.findUniqueOrThrow({ where: { email: "linkonly@example.com" } })).passwordHash).toBeNull();
    const mail = await getPrisma().emailOutbox.findMany({ orderBy: { createdAt: "asc" } });
    expect(mail.map((m) => [m.kind, m.recipient, m.secret === null])).toEqual([
      ["verify-email", "fresh@example.com", false],
      ["account-exists", "linkonly@example.com", true],
    ]);
    expect(mail[1]!.payload).toEqual({ signInUrl: "http://localhost:3000/sign-in?email=linkonly%40example.com" });
  });

  it("changes a password (the current one required), ending every other session; a link-only account may add one", async () => {
    const user = await register("ada@example.com");
    await getPrisma().user.update({ where: { id: user.id }, data: { emailVerified: new Date() } });
    const [here, elsewhere] = [await startSession(user.id), await startSession(user.id)];
    await expect(changePassword(user.id, { current: "not it at all", next: "a brand new password" }, here, CLIENT)).rejects.toThrow(
      /current password is not right/,
    );
    expect(await isSessionLive(user.id, elsewhere)).toBe(true);
    await changePassword(user.id, { current: "correct horse battery", next: "a brand new password" }, here, CLIENT);
    expect([await isSessionLive(user.id, here), await isSessionLive(user.id, elsewhere)]).toEqual([true, false]);
    expect(await verifyCredentials("ada@example.com", "correct horse battery", CLIENT)).toBeNull();
    expect(await verifyCredentials("ada@example.com", "a brand new password", CLIENT)).toMatchObject({ id: user.id });

    const linkOnly = await getPrisma().user.create({ data: { email: "link@example.com", emailVerified: new Date() } });
    await changePassword(linkOnly.id, { next: "my first password" }, await startSession(linkOnly.id), CLIENT);
    expect(await verifyCredentials("link@example.com", "my first password", CLIENT)).toMatchObject({ id: linkOnly.id });
    const hash = await hashPassword("x".repeat(12));
    expect(hash).not.toBe((await getPrisma().user.findUniqueOrThrow({ where: { id: linkOnly.id } })).passwordHash);
  });

  it("honours AUTH_DISABLE_SIGNUP for password accounts, invited or not; invitees use an email link", async () => {
    vi.stubEnv("AUTH_DISABLE_SIGNUP", "true");
    reloadEnv();
    await expect(register("stranger@example.com", "some long password")).rejects.toThrow(/Sign-up with a password is closed/);
    const org = await createOrg();
    const ctx = { actor: { type: "apiKey" as const, apiKeyId: org.apiKeyId, organizationId: org.id, creatorUserId: null }, requestId: "r" };
    await createInvitations(ctx, { emails: ["invited@example.com"] });
    await expect(register("Invited@example.com", "some long password")).rejects.toThrow(/Continue with email/);
    expect(await getPrisma().user.count()).toBe(1); // the org's owner
    // The email-link path still lets the invitee in (Auth.js's signIn callback asks this).
    expect([await signupAllowed("invited@example.com"), await signupAllowed("stranger@example.com")]).toEqual([true, false]);
  });

  it("queues the sign-in link encrypted, through the outbox, pointing at the confirmation page on APP_URL", async () => {
    const authJs = "http://evil.example/api/auth/callback/email?callbackUrl=http%3A%2F%2Fevil.example%2Finvite%2Fx&token=abc&email=ada%40example.com";
    await queueSignInLink("Ada@Example.com", authJs, new Date(Date.now() + 30 * 60_000), CLIENT);
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
