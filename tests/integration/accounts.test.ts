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
  verifyCredentials,
  verifyEmailToken,
} from "@/lib/services/accounts";
import { createInvitations } from "@/lib/services/invitations";
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

    expect(await verifyEmailToken(token)).toBe(true);
    expect((await getPrisma().user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBeInstanceOf(Date);
    expect(await verifyEmailToken(token)).toBe(false);
    expect(await verifyEmailToken("garbage")).toBe(false);
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

  it("honours AUTH_DISABLE_SIGNUP, except for an invited email", async () => {
    vi.stubEnv("AUTH_DISABLE_SIGNUP", "true");
    reloadEnv();
    await expect(registerAccount({ email: "stranger@example.com", password: "some long password" })).rejects.toThrow(/Sign-up is closed/);
    const org = await createOrg();
    const ctx = { actor: { type: "apiKey" as const, apiKeyId: org.apiKeyId, organizationId: org.id }, requestId: "r" };
    await createInvitations(ctx, { emails: ["invited@example.com"] });
    await expect(registerAccount({ email: "Invited@example.com", password: "some long password" })).resolves.toMatchObject({
      email: "invited@example.com",
    });
    expect(await getPrisma().user.count({ where: { email: "stranger@example.com" } })).toBe(0);
  });

  it("queues the sign-in link encrypted, through the outbox", async () => {
    await queueSignInLink("Ada@Example.com", "http://localhost:3000/api/auth/callback/email?token=abc", new Date(Date.now() + 30 * 60_000));
    const row = await getPrisma().emailOutbox.findFirstOrThrow();
    expect(row).toMatchObject({ kind: "sign-in-link", recipient: "ada@example.com", payload: { expiresInMinutes: 30 } });
    expect(row.secret).not.toContain("token=abc");
    expect(JSON.parse(open(row.secret!, OUTBOX_SECRET_PURPOSE)).url).toContain("token=abc");
  });
});
