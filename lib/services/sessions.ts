// Signed-in browser sessions. The session cookie is an encrypted Auth.js JWT that names a
// UserSession row; every request looks the row up together with the user (one indexed query),
// so ending a session takes effect at once: signing out ends this one, "sign out other
// sessions", a password change and a first verification of the address end the others.
import "server-only";
import { getPrisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

type Db = Prisma.TransactionClient;

/** How long a session lasts without signing in again (the JWT's own lifetime is the same). */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 3600;

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  emailVerified: Date | null;
  /** Whether the account has a password (else it signs in by email link only). */
  hasPassword: boolean;
  sessionId: string;
}

export async function startSession(userId: string, db: Db = getPrisma()): Promise<string> {
  const row = await db.userSession.create({
    data: { userId, expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000) },
    select: { id: true },
  });
  return row.id;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The user of a live session, or null when the session was ended, expired or never existed. */
export async function resolveSession(userId: string, sessionId: string | undefined): Promise<SessionUser | null> {
  if (!sessionId || !UUID.test(sessionId)) return null;
  const [row] = await getPrisma().$queryRaw<(Omit<SessionUser, "sessionId">)[]>`
    SELECT u.id, u.email, u.name, u."emailVerified", (u."passwordHash" IS NOT NULL) AS "hasPassword"
      FROM "UserSession" s JOIN "User" u ON u.id = s."userId"
     WHERE s.id = ${sessionId}::uuid AND s."userId" = ${userId} AND s."expiresAt" > now()`;
  return row ? { ...row, sessionId } : null;
}

/** Whether a session is still live (one primary-key lookup; Auth.js asks on every session read). */
export async function isSessionLive(userId: string, sessionId: string): Promise<boolean> {
  if (!UUID.test(sessionId)) return false;
  const count = await getPrisma().userSession.count({ where: { id: sessionId, userId, expiresAt: { gt: new Date() } } });
  return count > 0;
}

export async function endSession(sessionId: string | undefined): Promise<void> {
  if (!sessionId || !UUID.test(sessionId)) return;
  await getPrisma().userSession.deleteMany({ where: { id: sessionId } });
}

/** Ends every session of the user but `keep` (none kept when it is undefined); answers how many ended. */
export async function endOtherSessions(userId: string, keep?: string, db: Db = getPrisma()): Promise<number> {
  const { count } = await db.userSession.deleteMany({
    where: { userId, ...(keep && UUID.test(keep) ? { id: { not: keep } } : {}) },
  });
  return count;
}

/** How many other live sessions the user has (for the Account page). */
export async function countOtherSessions(userId: string, current: string): Promise<number> {
  return getPrisma().userSession.count({ where: { userId, id: { not: current }, expiresAt: { gt: new Date() } } });
}
