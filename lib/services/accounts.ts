// User accounts: password sign-in, registration with email verification, and the sign-in-link
// email. Used by Auth.js (lib/auth/config.ts) and the sign-up page; no rule lives in a page.
import { createHash, randomBytes } from "node:crypto";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { getPrisma } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, conflict, forbidden } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { outboxRow } from "./outbox";
import { endOtherSessions } from "./sessions";

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

/**
 * Where a mailed sign-in link points: our confirmation page on APP_URL (never the request's
 * host), carrying Auth.js's token, address and callback. The page only shows a button; the POST
 * it sends to Auth.js's callback is what uses the token, so a mail scanner opening the link
 * signs nobody in.
 */
export function signInConfirmUrl(authJsUrl: string): string {
  const given = new URL(authJsUrl);
  const params = new URLSearchParams();
  for (const name of ["token", "email", "callbackUrl"]) {
    const value = given.searchParams.get(name);
    if (value !== null) params.set(name, name === "callbackUrl" ? safeCallbackPath(value, given.origin) : value);
  }
  return `${env().APP_URL}/sign-in/confirm?${params}`;
}

/** Auth.js's sign-in link goes out through the same outbox (and dev mailbox) as every email. */
export async function queueSignInLink(email: string, authJsUrl: string, expires: Date) {
  const minutes = Math.max(1, Math.round((expires.getTime() - Date.now()) / 60_000));
  await queueEmail("sign-in-link", normalizeEmail(email), { expiresInMinutes: minutes }, { url: signInConfirmUrl(authJsUrl) });
}

/**
 * A sign-in link for this address was just used, which proves the address. If the account was
 * unverified, whoever set its password (or holds its sessions) did not prove anything: the
 * password is cleared and every session ends (pre-hijacking defence, contract §5). Auth.js then
 * marks the address verified and starts the new session.
 */
export async function claimAddressBySignInLink(email: string): Promise<void> {
  await getPrisma().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email: normalizeEmail(email) }, select: { id: true, emailVerified: true } });
    if (!user || user.emailVerified) return;
    await tx.user.update({ where: { id: user.id }, data: { passwordHash: null } });
    await endOtherSessions(user.id, undefined, tx);
  });
}

export interface RegisterInput {
  email: string;
  password: string;
  name?: string;
}

export const SIGNUP_CLOSED_MESSAGE =
  "Sign-up with a password is closed on this installation. Invited? Open your invitation and choose " +
  "\u201cContinue with email\u201d: the sign-in link we email you creates your account.";

/**
 * A password account, unverified until its owner uses the verification link we mail. With sign-up
 * closed nobody registers this way, invited or not: a password proves nothing about an address,
 * so invitees create their account with an emailed sign-in link instead.
 */
export async function registerAccount(input: RegisterInput, callbackUrl?: string): Promise<AccountUser> {
  const email = normalizeEmail(input.email);
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError("validation_failed", `The password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (env().AUTH_DISABLE_SIGNUP) throw forbidden(SIGNUP_CLOSED_MESSAGE);
  const passwordHash = await hashPassword(input.password);
  const existing = await getPrisma().user.findUnique({ where: { email } });
  if (existing) {
    // Never attach a password to an existing account: that would hand it to whoever asks.
    throw conflict("An account with this email already exists. Sign in instead (an email link works too).");
  }
  const user = await getPrisma().user.create({ data: { email, name: input.name?.trim() || null, passwordHash } });
  await sendVerificationEmail(user.email, callbackUrl);
  return { id: user.id, email: user.email, name: user.name };
}

/**
 * Queues a verification link; only its hash is stored (as an Auth.js VerificationToken row).
 * `callbackUrl` (a path inside the app) is where the link leads once used, e.g. an invitation.
 */
export async function sendVerificationEmail(email: string, callbackUrl?: string) {
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
  const params = new URLSearchParams({ token });
  const next = callbackUrl ? safeCallbackPath(callbackUrl) : "/";
  if (next !== "/") params.set("callbackUrl", next);
  await queueEmail("verify-email", email, {}, { url: `${env().APP_URL}/verify-email?${params}` });
}

const VERIFY_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export type VerifyOutcome = "verified" | "invalid" | "other-account";

/**
 * Uses a verification link (the POST of the page it opens, never the GET): marks the address of
 * the signed-in account verified. The token must be for that account's address — "other-account"
 * leaves it unused, so someone who did not create an account cannot confirm it for whoever did.
 * A first verification ends the account's other sessions. Single use; "invalid" when unknown,
 * expired or used.
 */
export async function verifyEmailToken(token: string, userId: string, keepSessionId?: string): Promise<VerifyOutcome> {
  if (!VERIFY_TOKEN.test(token)) return "invalid";
  const hashed = createHash("sha256").update(token).digest("hex");
  return getPrisma().$transaction(async (tx) => {
    const row = await tx.verificationToken.findFirst({ where: { token: hashed, identifier: { startsWith: VERIFY_PREFIX } } });
    if (!row) return "invalid";
    const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true, emailVerified: true } });
    if (!user || VERIFY_PREFIX + user.email !== row.identifier) return "other-account";
    await tx.verificationToken.delete({ where: { identifier_token: { identifier: row.identifier, token: row.token } } });
    if (row.expires < new Date()) return "invalid";
    if (!user.emailVerified) {
      await tx.user.update({ where: { id: userId }, data: { emailVerified: new Date() } });
      await endOtherSessions(userId, keepSessionId, tx);
    }
    return "verified";
  });
}

/** The address a verification link is for, without using it (for the page it opens); null if unusable. */
export async function verificationTokenEmail(token: string): Promise<string | null> {
  if (!VERIFY_TOKEN.test(token)) return null;
  const hashed = createHash("sha256").update(token).digest("hex");
  const row = await getPrisma().verificationToken.findFirst({
    where: { token: hashed, identifier: { startsWith: VERIFY_PREFIX }, expires: { gt: new Date() } },
  });
  return row ? row.identifier.slice(VERIFY_PREFIX.length) : null;
}

export async function getAccount(userId: string) {
  const user = await getPrisma().user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, emailVerified: true },
  });
  if (!user) throw new AppError("unauthorized", "Your session has ended; sign in again");
  return user;
}
