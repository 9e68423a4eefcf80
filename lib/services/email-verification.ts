// Verifying an address with the link we mail to it after a password sign-up. Only the link's
// hash is stored (an Auth.js VerificationToken row). The link is used by the POST of the page
// it opens, for the signed-in account it was sent for — never by opening it (contract §5).
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { getPrisma } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { outboxRow } from "./outbox";
import { assertWithinLimits } from "./rate-limit";
import { endOtherSessions } from "./sessions";
import { requestedEmailLimits } from "./throttles";

const VERIFY_PREFIX = "verify-email:";
const VERIFY_TTL_MS = 24 * 3_600_000;
const VERIFY_RESEND_COOLDOWN_MS = 60_000;
const VERIFY_TOKEN = /^[A-Za-z0-9_-]{43}$/;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Queues a verification link. `callbackUrl` (a path inside the app) is where the link leads
 * once used, e.g. an invitation. No limit is counted here: callers count it.
 */
export async function queueVerificationEmail(email: string, callbackUrl?: string) {
  const token = randomBytes(32).toString("base64url");
  const prisma = getPrisma();
  await prisma.verificationToken.create({
    data: { identifier: VERIFY_PREFIX + email, token: hashToken(token), expires: new Date(Date.now() + VERIFY_TTL_MS) },
  });
  const params = new URLSearchParams({ token });
  const next = callbackUrl ? safeCallbackPath(callbackUrl) : "/";
  if (next !== "/") params.set("callbackUrl", next);
  const row = outboxRow({ kind: "verify-email", recipient: email, payload: {}, secret: { url: `${env().APP_URL}/verify-email?${params}` } });
  await prisma.emailOutbox.create({ data: row });
}

/** "Send a new link": at most one a minute per address, and within the requested-email limits. */
export async function sendVerificationEmail(email: string, callbackUrl: string | undefined, client: string) {
  // Tokens expire VERIFY_TTL_MS after creation, so a recent one shows as a late expiry.
  const recent = await getPrisma().verificationToken.count({
    where: { identifier: VERIFY_PREFIX + email, expires: { gt: new Date(Date.now() + VERIFY_TTL_MS - VERIFY_RESEND_COOLDOWN_MS) } },
  });
  if (recent > 0) throw new AppError("rate_limited", "A verification email was sent less than a minute ago; check your inbox");
  await assertWithinLimits(requestedEmailLimits(email, client));
  await queueVerificationEmail(email, callbackUrl);
}

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
  return getPrisma().$transaction(async (tx) => {
    const row = await tx.verificationToken.findFirst({ where: { token: hashToken(token), identifier: { startsWith: VERIFY_PREFIX } } });
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
  const row = await getPrisma().verificationToken.findFirst({
    where: { token: hashToken(token), identifier: { startsWith: VERIFY_PREFIX }, expires: { gt: new Date() } },
  });
  return row ? row.identifier.slice(VERIFY_PREFIX.length) : null;
}
