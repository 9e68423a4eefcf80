// Emailed sign-in links (Auth.js's email provider, sent through our outbox). The link points at
// our confirmation page on APP_URL, whose button POSTs the token to Auth.js; using it proves the
// address, which also ends any claim an unverified account's password had on it (contract §5).
import "server-only";
import { createHash } from "node:crypto";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { getAuthSecret } from "@/lib/auth/secret";
import { getPrisma } from "@/lib/db";
import { env } from "@/lib/env";
import { normalizeEmailOrThrow } from "@/lib/validation/email";
import { signupAllowed } from "./accounts";
import { outboxRow } from "./outbox";
import { log } from "@/lib/log";
import { countHits, findExceeded, refusalOf } from "./rate-limit";
import { endOtherSessions } from "./sessions";
import { requestedEmailLimits } from "./throttles";

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

/**
 * Queues a sign-in link, within the requested-email limits. Over a limit, or for an address with
 * no account while sign-up is closed (and no invitation waits for it), nothing is sent —
 * silently: Auth.js answers "check your inbox" either way, so the answer is the same for every
 * address. (Auth.js starts this call without awaiting it at once, so it must not reject for an
 * expected refusal.) `signInLinkRefusal` tells our own form afterwards that a limit was hit.
 */
export async function queueSignInLink(rawEmail: string, authJsUrl: string, expires: Date, client: string) {
  const email = normalizeEmailOrThrow(rawEmail);
  const exceeded = await countHits(requestedEmailLimits(email, client));
  if (exceeded) {
    log.info("Sign-in link refused", { reason: "rate_limited" });
    return;
  }
  const prisma = getPrisma();
  const account = await prisma.user.findUnique({ where: { email }, select: { id: true } });
  if (!account && !(await signupAllowed(email))) return;
  const minutes = Math.max(1, Math.round((expires.getTime() - Date.now()) / 60_000));
  const row = outboxRow({
    kind: "sign-in-link",
    recipient: email,
    payload: { expiresInMinutes: minutes },
    secret: { url: signInConfirmUrl(authJsUrl) },
  });
  await prisma.emailOutbox.create({ data: row });
}

/**
 * A sign-in link for this address was just used, which proves the address. If the account was
 * unverified, whoever set its password (or holds its sessions) did not prove anything: the
 * password is cleared and every session ends (pre-hijacking defence, contract §5). Auth.js then
 * marks the address verified and starts the new session.
 */
export async function claimAddressBySignInLink(email: string): Promise<void> {
  await getPrisma().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email: normalizeEmailOrThrow(email) }, select: { id: true, emailVerified: true } });
    if (!user || user.emailVerified) return;
    await tx.user.update({ where: { id: user.id }, data: { passwordHash: null } });
    await endOtherSessions(user.id, undefined, tx);
  });
}

/** Whether the last sign-in link asked for (by this client, for this address) was held back by a limit. */
export async function signInLinkRefusal(rawEmail: string, client: string) {
  const exceeded = await findExceeded(requestedEmailLimits(normalizeEmailOrThrow(rawEmail), client));
  return exceeded ? refusalOf(exceeded).message : null;
}

/**
 * Whether a sign-in link can still be used, without using it: Auth.js stores the SHA-256 of the
 * token followed by the secret. Lets the link's page say "expired or used" and offer a new link
 * for the same address and destination, instead of a generic error after the click.
 */
export async function signInLinkUsable(rawEmail: string, token: string): Promise<boolean> {
  if (!/^[0-9a-f]{64}$/.test(token)) return false;
  let email: string;
  try {
    email = normalizeEmailOrThrow(rawEmail);
  } catch {
    return false;
  }
  const hashed = createHash("sha256").update(`${token}${getAuthSecret()}`).digest("hex");
  const row = await getPrisma().verificationToken.findFirst({
    where: { identifier: email, token: hashed, expires: { gt: new Date() } },
    select: { identifier: true },
  });
  return row !== null;
}
