// The invitee's answer to an invitation: accept (join the organization) or decline. Reached by
// the mailed link (/invite/<token>) or, for a user with a verified email, by invitation id from
// their list of pending invitations. Both paths share one implementation and one transaction.
import "server-only";
import { env } from "@/lib/env";
import { AppError, forbidden } from "@/lib/errors";
import type { Invitation, Prisma } from "@/lib/generated/prisma/client";
import { auditRow } from "@/lib/services/audit";
import type { ServiceContext } from "@/lib/services/context";
import { lockOrganization, transaction, type LockedOrganization } from "@/lib/services/organization-lock";
import { invitationNotValid, isWellFormedInviteToken } from "./lookup";
import { outboxRow } from "@/lib/services/outbox";
import { cancelQueuedEmails } from "./outbox";
import { seatUsage } from "./rules";
import { invitationAction } from "./scope";
import { hashInviteToken } from "./tokens";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { normalizeEmail } from "@/lib/validation/email";

type Tx = Prisma.TransactionClient;

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

async function respond(answer: Answer, userId: string, target: Target, requestId: string): Promise<InvitationResponse> {
  // The organization is known only once the invitation is found, so lockTarget takes the locks.
  return transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true, emailVerified: true } });
    if (!user) throw new AppError("unauthorized", "Your session is no longer valid; sign in again");
    // Checked before the invitation is even looked at, so it reveals nothing about it.
    if (!user.emailVerified) {
      throw forbidden(
        "Verify your email address first: an invitation can only be answered from a verified address. " +
          "Use the link we emailed you, or sign in with an email link.",
      );
    }

    const { org, invitation } = await lockTarget(tx, target);
    // Read the clock once the locks are held: waiting for them may have taken a while.
    const now = new Date();
    if (invitation.status !== "PENDING" || invitation.expiresAt <= now) throw invitationNotValid();
    if (!sameEmail(invitation.email, user.email)) {
      // The link holder already knows the invited address; someone guessing ids must not learn it.
      if (target.by === "id") throw invitationNotValid();
      throw forbidden(`This invitation was sent to ${invitation.email}; you are signed in as ${user.email}`);
    }

    const ctx: ServiceContext = { actor: { type: "user", userId, organizationId: org.id }, requestId };
    const role = await tx.role.findUniqueOrThrow({ where: { id: invitation.roleId }, select: { name: true } });
    const project = invitation.projectId
      ? await tx.project.findUniqueOrThrow({ where: { id: invitation.projectId }, select: { id: true, name: true } })
      : null;
    const result: InvitationResponse = {
      invitationId: invitation.id,
      organizationId: org.id,
      organizationName: org.name,
      roleName: role.name,
      projectId: project?.id ?? null,
      projectName: project?.name ?? null,
    };
    const audit = (verb: "accept" | "decline", metadata: Prisma.InputJsonValue) =>
      tx.auditEvent.create({
        data: auditRow(ctx, invitationAction(invitation, verb), { type: "invitation", id: invitation.id }, metadata, invitation.projectId),
      });

    if (answer === "decline") {
      await tx.invitation.update({ where: { id: invitation.id }, data: { status: "DECLINED", respondedAt: now } });
      await cancelQueuedEmails(tx, [invitation.id]);
      await audit("decline", { email: invitation.email });
      return result;
    }

    const joined = await joinScope(tx, org, invitation, userId, now);
    await tx.invitation.update({ where: { id: invitation.id }, data: { status: "ACCEPTED", respondedAt: now } });
    await cancelQueuedEmails(tx, [invitation.id]);
    if (joined.scope) await queueAcceptedEmail(tx, org, project, invitation, role.name);
    await audit("accept", {
      email: invitation.email,
      roleId: invitation.roleId,
      alreadyMember: !joined.scope,
      ...(project ? { joinedOrganization: joined.organization } : {}),
    });
    return result;
  });
}

/**
 * Makes the user a member of what the invitation is to, with its role. A project invitation
 * makes a non-member of the organization an org Member first (taking the seat the invitation
 * held). Someone already in (the org, or the project) keeps the role they have.
 */
async function joinScope(tx: Tx, org: LockedOrganization, invitation: Invitation, userId: string, now: Date) {
  const orgMember = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId: org.id, userId } },
    select: { roleId: true },
  });
  if (!orgMember) {
    await assertSeatStillFits(tx, org, now);
    const orgRole = invitation.projectId ? SYSTEM_ROLES.Member : invitation.roleId;
    await tx.membership.create({ data: { organizationId: org.id, userId, roleId: orgRole, joinedAt: now } });
  }
  if (!invitation.projectId) return { organization: !orgMember, scope: !orgMember };
  const projectMember = await tx.projectMembership.findUnique({
    where: { projectId_userId: { projectId: invitation.projectId, userId } },
    select: { roleId: true },
  });
  if (!projectMember) {
    await tx.projectMembership.create({
      data: { projectId: invitation.projectId, organizationId: org.id, userId, roleId: invitation.roleId, joinedAt: now },
    });
  }
  return { organization: !orgMember, scope: !projectMember };
}

/**
 * Locks the organization, then the invitation: the lock order of every other invitation and
 * member write. The invitation is found first without a lock only to learn its organization;
 * a resend may rotate the token in between, so the locked row is matched against it again.
 */
async function lockTarget(tx: Tx, target: Target): Promise<{ org: LockedOrganization; invitation: Invitation }> {
  const where = target.by === "token" ? { tokenHash: target.tokenHash } : { id: target.id };
  const found = await tx.invitation.findUnique({ where, select: { id: true, organizationId: true } });
  if (!found) throw invitationNotValid();
  const org = await lockOrganization(tx, found.organizationId);
  const [invitation] = await tx.$queryRaw<Invitation[]>`
    SELECT * FROM "Invitation" WHERE id = ${found.id} FOR UPDATE`;
  if (!invitation || (target.by === "token" && invitation.tokenHash !== target.tokenHash)) throw invitationNotValid();
  return { org, invitation };
}

/**
 * The invitation being accepted already holds a seat (it is pending and live), so joining
 * changes nothing in the count; it only fails when the limit was lowered below what is in use.
 */
async function assertSeatStillFits(tx: Tx, org: LockedOrganization, now: Date) {
  if (org.seatLimit === null) return;
  const { used } = await seatUsage(tx, org.id, now);
  if (used > org.seatLimit) {
    throw forbidden(
      `${org.name} has no free seat: its seat limit of ${org.seatLimit} is below the ${used} seats used by members ` +
        `and pending invitations. Ask an admin to free a seat or raise the limit.`,
    );
  }
}

/**
 * Tells the inviting user, if they are still a member, that their invitation was taken up.
 * API-key invitations notify nobody. Not linked to the invitation row: that row's emailStatus
 * (and the provider webhooks mapped onto it) describe the invitation email, not this one.
 */
async function queueAcceptedEmail(
  tx: Tx,
  org: LockedOrganization,
  project: { id: string; name: string } | null,
  invitation: Invitation,
  roleName: string,
) {
  if (!invitation.invitedByUserId) return;
  const inviter = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId: org.id, userId: invitation.invitedByUserId } },
    select: { user: { select: { email: true } } },
  });
  if (!inviter) return;
  await tx.emailOutbox.create({
    data: outboxRow({
      kind: INVITATION_ACCEPTED_EMAIL,
      recipient: inviter.user.email,
      organizationId: org.id,
      // Nothing secret: the one link is the members page, built from APP_URL.
      payload: {
        organizationName: org.name,
        projectName: project?.name ?? null,
        inviteeEmail: invitation.email,
        roleName,
        membersUrl: project ? `${env().APP_URL}/settings/projects/${project.id}` : `${env().APP_URL}/settings/members`,
      },
      secret: null,
    }),
  });
}
