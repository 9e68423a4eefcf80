// User accounts: password sign-in, registration with email verification, and the sign-in-link
// email. Used by Auth.js (lib/auth/config.ts) and the sign-up page; no rule lives in a page.
import { createHash, randomBytes } from "node:crypto";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { getPrisma } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, conflict, forbidden } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { outboxRow } from "./outbox";

const VERIFY_PREFIX = "verify-email:";
const VERIFY_TTL_MS = 24 * 3_600_000;
const VERIFY_RESEND_COOLDOWN_MS = 60_000;
export const MIN_PASSWORD_LENGTH = 10;
// Hashing this when the account does not exist keeps "no such user" as slow as "wrong password".
const DUMMY_HASH = hashPassword("not a real password");

export function normalizeEmail(email: string) {
  return email.trim().toLowerCase();
}

export interface AccountUser {
  id: string;
  email: string;
  name: string | null;
}

/** The user for an email and password, or null; the same answer for unknown email and wrong password. */
export async function verifyCredentials(email: string, password: string): Promise<AccountUser | null> {
  const user = await getPrisma().user.findUnique({ where: { email: normalizeEmail(email) } });
  if (!user?.passwordHash) {
    await verifyPassword(password, await DUMMY_HASH);
    return null;
  }
  return (await verifyPassword(password, user.passwordHash)) ? { id: user.id, email: user.email, name: user.name } : null;
}

/** Someone with a live invitation may always create their account, even when sign-up is closed. */
export async function hasLiveInvitation(email: string) {
  const count = await getPrisma().invitation.count({
    where: { email: normalizeEmail(email), status: "PENDING", expiresAt: { gt: new Date() } },
  });
  return count > 0;
}

export async function signupAllowed(email: string) {
  return !env().AUTH_DISABLE_SIGNUP || (await hasLiveInvitation(email));
}

function queueEmail(kind: string, recipient: string, payload: Prisma.InputJsonValue, secret: Record<string, unknown>) {
  return getPrisma().emailOutbox.create({ data: outboxRow({ kind, recipient, payload, secret }) });
}

/** Auth.js's sign-in link goes out through the same outbox (and dev mailbox) as every email. */
export async function queueSignInLink(email: string, url: string, expires: Date) {
  const minutes = Math.max(1, Math.round((expires.getTime() - Date.now()) / 60_000));
  await queueEmail("sign-in-link", normalizeEmail(email), { expiresInMinutes: minutes }, { url });
}

export interface RegisterInput {
  email: string;
  password: string;
  name?: string;
}

export async function registerAccount(input: RegisterInput): Promise<AccountUser> {
  const email = normalizeEmail(input.email);
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError("validation_failed", `The password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (!(await signupAllowed(email))) {
    throw forbidden("Sign-up is closed on this installation; ask an administrator for an invitation");
  }
  const passwordHash = await hashPassword(input.password);
  const existing = await getPrisma().user.findUnique({ where: { email } });
  if (existing) {
    // Never attach a password to an existing account: that would hand it to whoever asks.
    throw conflict("An account with this email already exists. Sign in instead (an email link works too).");
  }
  const user = await getPrisma().user.create({ data: { email, name: input.name?.trim() || null, passwordHash } });
  await sendVerificationEmail(user.email);
  return { id: user.id, email: user.email, name: user.name };
}

/** Queues a verification link; only its hash is stored (as an Auth.js VerificationToken row). */
export async function sendVerificationEmail(email: string) {
  // Tokens expire VERIFY_TTL_MS after creation, so a recent one shows as a late expiry.
  const recent = await getPrisma().verificationToken.count({
    where: { identifier: VERIFY_PREFIX + email, expires: { gt: new Date(Date.now() + VERIFY_TTL_MS - VERIFY_RESEND_COOLDOWN_MS) } },
  });
  if (recent > 0) throw new AppError("rate_limited", "A verification email was sent less than a minute ago; check your inbox");
  const token = randomBytes(32).toString("base64url");
  await getPrisma().verificationToken.create({
    data: {
      identifier: VERIFY_PREFIX + email,
      token: createHash("sha256").update(token).digest("hex"),
      expires: new Date(Date.now() + VERIFY_TTL_MS),
    },
  });
  await queueEmail("verify-email", email, {}, { url: `${env().APP_URL}/verify-email?token=${token}` });
}

/** Marks the email verified; false when the token is unknown or expired. Single use. */
export async function verifyEmailToken(token: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return false;
  const hashed = createHash("sha256").update(token).digest("hex");
  return getPrisma().$transaction(async (tx) => {
    const row = await tx.verificationToken.findFirst({ where: { token: hashed, identifier: { startsWith: VERIFY_PREFIX } } });
    if (!row) return false;
    await tx.verificationToken.delete({ where: { identifier_token: { identifier: row.identifier, token: row.token } } });
    if (row.expires < new Date()) return false;
    const email = row.identifier.slice(VERIFY_PREFIX.length);
    await tx.user.updateMany({ where: { email, emailVerified: null }, data: { emailVerified: new Date() } });
    return true;
  });
}

export async function getAccount(userId: string) {
  const user = await getPrisma().user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, emailVerified: true },
  });
  if (!user) throw new AppError("unauthorized", "Your session has ended; sign in again");
  return user;
}
