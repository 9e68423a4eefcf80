// The invitee's answer to an invitation: accept (join the organization) or decline. Reached by
// the mailed link (/invite/<token>) or, for a user with a verified email, by invitation id from
// their list of pending invitations. Both paths share one implementation in two statements: one
// read of the user, the invitation and what joining needs, one guarded write
// (organization-lock.ts guardedWrite).
import "server-only";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { env } from "@/lib/env";
import { AppError, forbidden } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { auditRow } from "@/lib/services/audit";
import { auditInsertCte, cancelQueuedEmailsCte, outboxInsertCte } from "@/lib/services/bulk-insert";
import type { ServiceContext } from "@/lib/services/context";
import { Changed, guardedWrite, versionGuard } from "@/lib/services/organization-lock";
import { outboxRow } from "@/lib/services/outbox";
import { normalizeEmail } from "@/lib/validation/email";
import { invitationNotValid, isWellFormedInviteToken } from "./lookup";
import { seatUsageSql, type SeatUsage } from "./rules";
import { invitationAction } from "./scope";
import { hashInviteToken } from "./tokens";

type Db = Prisma.TransactionClient;

export const INVITATION_ACCEPTED_EMAIL = "invitation-accepted";

export interface RespondByTokenInput {
  userId: string;
  token: string;
  requestId: string;
}

export interface RespondByIdInput {
  userId: string;
  invitationId: number;
  requestId: string;
}

export interface InvitationResponse {
  invitationId: number;
  organizationId: string;
  organizationName: string;
  roleName: string;
  /** Set when the invitation was to a project. */
  projectId: string | null;
  projectName: string | null;
}

type Answer = "accept" | "decline";

/**
 * How the invitee reached the invitation: by its link or by its id. Neither proves that the
 * person reads the invited mailbox (whoever sent the invitation may have copied its link), so
 * both need a signed-in user whose verified email is the invited one (contract §5). An id
 * answer never reveals whose invitation it is.
 */
type Target = { by: "token"; tokenHash: string } | { by: "id"; id: number };

export function acceptInvitation(input: RespondByTokenInput): Promise<InvitationResponse> {
  return respondByToken("accept", input);
}

export function declineInvitation(input: RespondByTokenInput): Promise<InvitationResponse> {
  return respondByToken("decline", input);
}

export function acceptInvitationById(input: RespondByIdInput): Promise<InvitationResponse> {
  return respondById("accept", input);
}

export function declineInvitationById(input: RespondByIdInput): Promise<InvitationResponse> {
  return respondById("decline", input);
}

function respondByToken(answer: Answer, input: RespondByTokenInput): Promise<InvitationResponse> {
  if (!isWellFormedInviteToken(input.token)) return Promise.reject(invitationNotValid());
  return respond(answer, input.userId, { by: "token", tokenHash: hashInviteToken(input.token) }, input.requestId);
}

function respondById(answer: Answer, input: RespondByIdInput): Promise<InvitationResponse> {
  const id = input.invitationId;
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return Promise.reject(invitationNotValid());
  return respond(answer, input.userId, { by: "id", id }, input.requestId);
}

const sameEmail = (a: string, b: string) => normalizeEmail(a) === normalizeEmail(b);

interface ResponseFacts {
  user: { email: string; verified: boolean } | null;
  invitation: {
    id: number;
    organizationId: string;
    organizationName: string;
    seatLimit: number | null;
    writeVersion: number;
    projectId: string | null;
    projectName: string | null;
    email: string;
    status: string;
    roleId: string;
    roleName: string;
    expiresAtMs: number;
    /** The user's role in the organization and in the project, if they are in already. */
    orgRoleId: string | null;
    projectRoleId: string | null;
    /** The inviting user's address while they are still a member (they hear of the acceptance). */
    inviterEmail: string | null;
    /** Read when the organization has a seat limit. */
    seats: SeatUsage | null;
  } | null;
}

/** The user and the invitation with everything answering it needs, in one statement. */
async function readResponseFacts(db: Db, userId: string, target: Target, now: Date): Promise<ResponseFacts> {
  const match = target.by === "token" ? Prisma.sql`i."tokenHash" = ${target.tokenHash}` : Prisma.sql`i.id = ${target.id}`;
  const [facts] = await db.$queryRaw<ResponseFacts[]>`/* prepared */
    WITH inv AS (SELECT i.* FROM "Invitation" i WHERE ${match})
    SELECT
      (SELECT json_build_object('email', u.email, 'verified', u."emailVerified" IS NOT NULL) FROM "User" u WHERE u.id = ${userId}) AS user,
      (SELECT json_build_object(
          'id', inv.id, 'organizationId', o.id, 'organizationName', o.name, 'seatLimit', o."seatLimit",
          'writeVersion', o."writeVersion", 'projectId', inv."projectId", 'projectName', p.name,
          'email', inv.email, 'status', inv.status, 'roleId', inv."roleId", 'roleName', r.name,
          'expiresAtMs', extract(epoch FROM inv."expiresAt") * 1000,
          'orgRoleId', (SELECT m."roleId" FROM "Membership" m WHERE m."organizationId" = o.id AND m."userId" = ${userId}),
          'projectRoleId', (SELECT pm."roleId" FROM "ProjectMembership" pm WHERE pm."projectId" = inv."projectId" AND pm."userId" = ${userId}),
          'inviterEmail', (SELECT u.email FROM "Membership" m JOIN "User" u ON u.id = m."userId"
                            WHERE m."organizationId" = o.id AND m."userId" = inv."invitedByUserId"),
          'seats', CASE WHEN o."seatLimit" IS NULL THEN NULL ELSE ${seatUsageSql(Prisma.sql`o.id`, now)} END)
         FROM inv JOIN "Organization" o ON o.id = inv."organizationId" JOIN "Role" r ON r.id = inv."roleId"
         LEFT JOIN "Project" p ON p.id = inv."projectId") AS invitation`;
  return facts ?? { user: null, invitation: null };
}

async function respond(answer: Answer, userId: string, target: Target, requestId: string): Promise<InvitationResponse> {
  return guardedWrite((db) => attemptRespond(db, answer, userId, target, requestId));
}

async function attemptRespond(db: Db, answer: Answer, userId: string, target: Target, requestId: string) {
  const now = new Date();
  const { user, invitation } = await readResponseFacts(db, userId, target, now);
  if (!user) throw new AppError("unauthorized", "Your session is no longer valid; sign in again");
  // Checked before the invitation is even looked at, so it reveals nothing about it.
  if (!user.verified) {
    throw forbidden(
      "Verify your email address first: an invitation can only be answered from a verified address. " +
        "Use the link we emailed you, or sign in with an email link.",
    );
  }
  if (!invitation || invitation.status !== "PENDING" || invitation.expiresAtMs <= now.getTime()) throw invitationNotValid();
  if (!sameEmail(invitation.email, user.email)) {
    // The link holder already knows the invited address; someone guessing ids must not learn it.
    if (target.by === "id") throw invitationNotValid();
    throw forbidden(`This invitation was sent to ${invitation.email}; you are signed in as ${user.email}`);
  }

  const org = { id: invitation.organizationId, name: invitation.organizationName };
  const ctx: ServiceContext = { actor: { type: "user", userId, organizationId: org.id }, requestId };
  const result: InvitationResponse = {
    invitationId: invitation.id,
    organizationId: org.id,
    organizationName: org.name,
    roleName: invitation.roleName,
    projectId: invitation.projectId,
    projectName: invitation.projectName,
  };
  const action = invitationAction(invitation, answer);
  const target_ = { type: "invitation", id: invitation.id };

  // Accepting makes the user a member of what the invitation is to, with its role. A project
  // invitation makes a non-member of the organization an org Member first (taking the seat the
  // invitation held). Someone already in (the org, or the project) keeps the role they have.
  const accepting = answer === "accept";
  const joinOrg = accepting && invitation.orgRoleId === null;
  const joinProject = accepting && invitation.projectId !== null && invitation.projectRoleId === null;
  const joinedScope = invitation.projectId ? joinProject : joinOrg;
  if (joinOrg) assertSeatStillFits(invitation);
  const orgRoleId = invitation.projectId ? SYSTEM_ROLES.Member : invitation.roleId;
  const mail = accepting && joinedScope && invitation.inviterEmail ? [acceptedEmailRow(invitation, invitation.inviterEmail)] : [];
  const metadata: Prisma.InputJsonValue = accepting
    ? {
        email: invitation.email,
        roleId: invitation.roleId,
        alreadyMember: !joinedScope,
        ...(invitation.projectId ? { joinedOrganization: joinOrg } : {}),
      }
    : { email: invitation.email };

  const [answered] = await db.$queryRaw<{ id: number }[]>`/* prepared */
    WITH ${versionGuard(org.id, invitation.writeVersion)},
    org_member AS (
      INSERT INTO "Membership" ("organizationId", "userId", "roleId", "joinedAt")
      SELECT ${org.id}, ${userId}, ${orgRoleId}::uuid, ${now} FROM guard WHERE ${joinOrg}
      RETURNING 1
    ), project_member AS (
      INSERT INTO "ProjectMembership" ("projectId", "organizationId", "userId", "roleId", "joinedAt")
      SELECT ${invitation.projectId}, ${org.id}, ${userId}, ${invitation.roleId}::uuid, ${now} FROM guard WHERE ${joinProject}
      RETURNING 1
    ), answered AS (
      UPDATE "Invitation" AS i SET status = ${accepting ? "ACCEPTED" : "DECLINED"}::"InvitationStatus", "respondedAt" = ${now}, "updatedAt" = ${now}
        FROM guard WHERE i.id = ${invitation.id}
      RETURNING i.id
    ), ${cancelQueuedEmailsCte("cancelled", "answered")},
    ${outboxInsertCte("mail", mail)},
    ${auditInsertCte("audit", [auditRow(ctx, action, target_, metadata, invitation.projectId)])}
    SELECT id FROM answered`;
  if (!answered) return new Changed(org.id);
  return result;
}

type InvitationRow = NonNullable<ResponseFacts["invitation"]>;

/**
 * The invitation being accepted already holds a seat (it is pending and live), so joining
 * changes nothing in the count; it only fails when the limit was lowered below what is in use.
 */
function assertSeatStillFits(invitation: InvitationRow) {
  if (invitation.seatLimit === null || !invitation.seats) return;
  const used = Number(invitation.seats.used);
  if (used > invitation.seatLimit) {
    throw forbidden(
      `${invitation.organizationName} has no free seat: its seat limit of ${invitation.seatLimit} is below the ${used} seats used by members ` +
        `and pending invitations. Ask an admin to free a seat or raise the limit.`,
    );
  }
}

/**
 * Tells the inviting user, if they are still a member, that their invitation was taken up.
 * API-key invitations notify nobody. Not linked to the invitation row: that row's emailStatus
 * (and the provider webhooks mapped onto it) describe the invitation email, not this one.
 */
function acceptedEmailRow(invitation: InvitationRow, inviterEmail: string) {
  const project = invitation.projectId;
  return outboxRow({
    kind: INVITATION_ACCEPTED_EMAIL,
    recipient: inviterEmail,
    organizationId: invitation.organizationId,
    // Nothing secret: the one link is the members page, built from APP_URL.
    payload: {
      organizationName: invitation.organizationName,
      projectName: invitation.projectName,
      inviteeEmail: invitation.email,
      roleName: invitation.roleName,
      membersUrl: project ? `${env().APP_URL}/settings/projects/${project}` : `${env().APP_URL}/settings/members`,
    },
    secret: null,
  });
}
