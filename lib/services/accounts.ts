// User accounts: password sign-in (throttled per account and per client address), registration,
// password changes. Used by Auth.js (lib/auth/config.ts) and the auth and account pages; no rule
// lives in a page. Registration answers the same whether or not the address already has an
// account (the owner is told by email instead), so nobody can test which addresses are taken.
import "server-only";
import { hashPassword, needsRehash, verifyPassword } from "@/lib/auth/password";
import { getPrisma } from "@/lib/db";
import { env, MIN_PASSWORD_LENGTH } from "@/lib/env";
import { AppError, forbidden } from "@/lib/errors";
import { isEmailAddress, normalizeEmail } from "@/lib/validation/email";
import { queueVerificationEmail } from "./email-verification";
import { outboxRow } from "./outbox";
import { assertWithinLimits } from "./rate-limit";
import { endOtherSessions } from "./sessions";
import { requestedEmailLimits, signInLimits } from "./throttles";

export { normalizeEmail };

export { MIN_PASSWORD_LENGTH };
// Hashing this when the account does not exist keeps "no such user" as slow as "wrong password".
const DUMMY_HASH = hashPassword("not a real password");

export interface AccountUser {
  id: string;
  email: string;
  name: string | null;
}

/**
 * The user for an email and password, or null: the same answer for an unknown email and a wrong
 * password. Every attempt counts against the account's and the client's limits before any hash
 * is computed (a refusal is a rate_limited AppError naming when to retry). A right password with
 * an older hash is stored again with today's parameters.
 */
export async function verifyCredentials(rawEmail: string, password: string, client: string): Promise<AccountUser | null> {
  const email = normalizeEmail(rawEmail);
  if (!isEmailAddress(email)) return null;
  await assertWithinLimits(signInLimits(email, client));
  const user = await getPrisma().user.findUnique({ where: { email } });
  if (!user?.passwordHash) {
    await verifyPassword(password, await DUMMY_HASH);
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  if (needsRehash(user.passwordHash)) {
    const passwordHash = await hashPassword(password);
    await getPrisma().user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash } });
  }
  return { id: user.id, email: user.email, name: user.name };
}

/** Someone with a live invitation may create their account with an email link even when sign-up is closed. */
export async function hasLiveInvitation(email: string) {
  const count = await getPrisma().invitation.count({
    where: { email: normalizeEmail(email), status: "PENDING", expiresAt: { gt: new Date() } },
  });
  return count > 0;
}

export async function signupAllowed(email: string) {
  return !env().AUTH_DISABLE_SIGNUP || (await hasLiveInvitation(email));
}

export interface RegisterInput {
  email: string;
  password: string;
  name?: string;
}

export const SIGNUP_CLOSED_MESSAGE =
  "Sign-up with a password is closed on this installation. Invited? Open your invitation and choose " +
  "\u201cContinue with email\u201d: the sign-in link we email you creates your account.";

function assertPasswordStrength(password: string) {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError("validation_failed", `The password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
}

/**
 * A password account, unverified until its owner uses the verification link we mail. If the
 * address already has an account, nothing is created and its owner gets a "you already have an
 * account" email instead; the caller cannot tell the two apart (null means "existed", for tests).
 * With sign-up closed nobody registers this way, invited or not: a password proves nothing about
 * an address, so invitees create their account with an emailed sign-in link instead.
 */
export async function registerAccount(input: RegisterInput, callbackUrl: string | undefined, client: string): Promise<AccountUser | null> {
  const email = normalizeEmail(input.email);
  assertPasswordStrength(input.password);
  if (!isEmailAddress(email)) throw new AppError("validation_failed", "Enter a valid email address");
  if (env().AUTH_DISABLE_SIGNUP) throw forbidden(SIGNUP_CLOSED_MESSAGE);
  // Hashed either way, so the answer takes as long whether or not the account exists.
  const passwordHash = await hashPassword(input.password);
  await assertWithinLimits(requestedEmailLimits(email, client));
  const prisma = getPrisma();
  const existing = await prisma.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) {
    // Never attach a password to an existing account: that would hand it to whoever asks.
    const signInUrl = `${env().APP_URL}/sign-in?${new URLSearchParams({ email })}`;
    await prisma.emailOutbox.create({ data: outboxRow({ kind: "account-exists", recipient: email, payload: { signInUrl }, secret: null }) });
    return null;
  }
  const user = await prisma.user.create({ data: { email, name: input.name?.trim() || null, passwordHash } });
  await queueVerificationEmail(user.email, callbackUrl);
  return { id: user.id, email: user.email, name: user.name };
}

/**
 * Sets a new password. An account that has one must give it (attempts count like sign-ins); one
 * that signs in by email link only may add one. Every other session of the account ends.
 */
export async function changePassword(
  userId: string,
  input: { current?: string; next: string },
  keepSessionId: string,
  client: string,
): Promise<void> {
  assertPasswordStrength(input.next);
  const user = await getPrisma().user.findUnique({ where: { id: userId } });
  if (!user) throw new AppError("unauthorized", "Your session has ended; sign in again");
  if (!user.emailVerified) throw forbidden("Verify your email address first");
  if (user.passwordHash) {
    await assertWithinLimits(signInLimits(user.email, client));
    if (!input.current || !(await verifyPassword(input.current, user.passwordHash))) {
      throw new AppError("validation_failed", "The current password is not right");
    }
  }
  const passwordHash = await hashPassword(input.next);
  await getPrisma().$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    await endOtherSessions(userId, keepSessionId, tx);
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
