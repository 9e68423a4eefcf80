// The invitee's read side: what a link points at, and what is waiting for a signed-in user.
// Reads only: mail scanners prefetch links, so opening one must never change anything.
import "server-only";
import { getPrisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { normalizeEmail } from "@/lib/validation/email";
import { hashInviteToken } from "./tokens";

/** One answer for every invitation that cannot be used, so a link never tells why. */
export const NOT_VALID_MESSAGE = "This invitation is no longer valid. Ask for a new invitation.";

export function invitationNotValid() {
  return new AppError("not_found", NOT_VALID_MESSAGE);
}

/** 32 random bytes in base64url without padding: exactly 43 characters of A–Z a–z 0–9 - _. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function isWellFormedInviteToken(token: unknown): token is string {
  return typeof token === "string" && TOKEN_PATTERN.test(token);
}

export interface InvitationByToken {
  id: number;
  organizationId: string;
  organizationName: string;
  /** Set for an invitation to a project of the organization. */
  projectId: string | null;
  projectName: string | null;
  email: string;
  roleId: string;
  roleName: string;
  inviterName: string | null;
  expiresAt: Date;
  status: "PENDING";
}

/**
 * The live invitation behind a link, or null when the token is unknown, revoked, accepted,
 * declined or expired. One indexed query (tokenHash is unique); malformed tokens never reach
 * the database.
 */
export async function getInvitationByToken(token: string): Promise<InvitationByToken | null> {
  if (!isWellFormedInviteToken(token)) return null;
  const now = new Date();
  const [row] = await getPrisma().$queryRaw<Omit<InvitationByToken, "status">[]>`
    SELECT i.id, i."organizationId", o.name AS "organizationName", i."projectId", p.name AS "projectName",
           i.email, i."roleId"::text AS "roleId", r.name AS "roleName", COALESCE(u.name, u.email) AS "inviterName",
           i."expiresAt"
      FROM "Invitation" i
      JOIN "Organization" o ON o.id = i."organizationId"
      LEFT JOIN "Project" p ON p.id = i."projectId"
      JOIN "Role" r ON r.id = i."roleId"
      LEFT JOIN "User" u ON u.id = i."invitedByUserId"
     WHERE i."tokenHash" = ${hashInviteToken(token)} AND i.status = 'PENDING' AND i."expiresAt" > ${now}`;
  return row ? { ...row, status: "PENDING" } : null;
}

export interface PendingInvitationForUser {
  id: number;
  organizationName: string;
  projectName: string | null;
  roleName: string;
  inviterName: string | null;
  expiresAt: Date;
}

/**
 * Live pending invitations addressed to the user's email, across organizations, newest first.
 * Only for a verified email: an unverified address proves nothing about who reads its mail.
 */
export async function listPendingInvitationsForUser(userId: string): Promise<PendingInvitationForUser[]> {
  const prisma = getPrisma();
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { email: true, emailVerified: true } });
  if (!user?.emailVerified) return [];
  const now = new Date();
  return prisma.$queryRaw<PendingInvitationForUser[]>`
    SELECT i.id, o.name AS "organizationName", p.name AS "projectName", r.name AS "roleName",
           COALESCE(u.name, u.email) AS "inviterName", i."expiresAt"
      FROM "Invitation" i
      JOIN "Organization" o ON o.id = i."organizationId"
      LEFT JOIN "Project" p ON p.id = i."projectId"
      JOIN "Role" r ON r.id = i."roleId"
      LEFT JOIN "User" u ON u.id = i."invitedByUserId"
     WHERE i.email = ${normalizeEmail(user.email)} AND i.status = 'PENDING' AND i."expiresAt" > ${now}
     ORDER BY i."createdAt" DESC, i.id DESC`;
}

export interface AnsweredInvitation {
  id: number;
  status: "ACCEPTED" | "DECLINED";
  organizationId: string;
  organizationName: string;
  projectId: string | null;
  projectName: string | null;
  /** Whether the user is a member of what the invitation was to (the org, or the project). */
  member: boolean;
}

/**
 * An invitation the signed-in user already answered, found by its link or its id, so the pages
 * can say "you declined" or "you are already a member" instead of a generic dead end. Only for
 * an invitation addressed to the user's own email; null otherwise (so it reveals nothing).
 */
export async function answeredInvitationFor(
  userId: string,
  target: { token: string } | { id: number },
): Promise<AnsweredInvitation | null> {
  if ("token" in target && !isWellFormedInviteToken(target.token)) return null;
  if ("id" in target && (!Number.isSafeInteger(target.id) || target.id < 1 || target.id > 2_147_483_647)) return null;
  const tokenHash = "token" in target ? hashInviteToken(target.token) : null;
  const id = "id" in target ? target.id : null;
  const [row] = await getPrisma().$queryRaw<(Omit<AnsweredInvitation, "member"> & { member: boolean })[]>`
    SELECT i.id, i.status::text AS status, i."organizationId", o.name AS "organizationName",
           i."projectId", p.name AS "projectName",
           CASE WHEN i."projectId" IS NULL
                THEN EXISTS (SELECT 1 FROM "Membership" m WHERE m."organizationId" = i."organizationId" AND m."userId" = u.id)
                ELSE EXISTS (SELECT 1 FROM "ProjectMembership" pm WHERE pm."projectId" = i."projectId" AND pm."userId" = u.id)
           END AS member
      FROM "Invitation" i
      JOIN "User" u ON u.id = ${userId} AND u.email = i.email
      JOIN "Organization" o ON o.id = i."organizationId"
      LEFT JOIN "Project" p ON p.id = i."projectId"
     WHERE (${tokenHash}::text IS NULL OR i."tokenHash" = ${tokenHash})
       AND (${id}::int IS NULL OR i.id = ${id}::int)
       AND i.status IN ('ACCEPTED', 'DECLINED')`;
  return row ?? null;
}
