"use server";
// Settings → Invitations: invite many addresses at once (answering per address instead of
// failing the whole paste on one typo), resend and revoke. The one-time invite links built
// here exist only in the action's answer; nothing stores them.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import {
  createInvitations,
  ORGANIZATION_SCOPE,
  projectScope,
  resendInvitation,
  revokeInvitation,
  type InvitationScope,
} from "@/lib/services/invitations";
import { extractAddresses, normalizeEmails, splitDuplicates } from "@/lib/services/invitations/emails";
import { inviteUrl } from "@/lib/services/invitations/tokens";
import { normalizeEmail } from "@/lib/validation/email";
import {
  CreateInvitationsBody,
  CreateProjectInvitationsBody,
  InvitationIdParams,
  type AnyInvitationDto,
} from "@/lib/validation/invitations";
import { formToObject, runOrgAction, type ActionResult } from "./run";
import { ScopeField, scopedPages } from "./scope";

export type InviteOutcome = "INVITED" | "RENEWED" | "ALREADY_MEMBER" | "ALREADY_INVITED" | "INVALID";

export interface InviteRow {
  /** Lower-cased when valid; as typed (trimmed) when invalid, so the user can find it. */
  email: string;
  outcome: InviteOutcome;
  /** The invite link, only for INVITED and RENEWED: shown once, never stored. */
  link?: string;
}

export interface InviteResult {
  rows: InviteRow[];
  /** Later spellings of an address already in the list (e.g. in another case): sent once. */
  duplicates: string[];
}

const ENTER_ONE = "Enter at least one email address.";

const InvitationIdForm = InvitationIdParams.extend(ScopeField.shape);

const InviteForm = z.object({
  emails: z
    .string({ error: ENTER_ONE })
    .trim()
    .min(1, ENTER_ONE)
    .transform((text) => splitDuplicates(extractAddresses(text)).unique)
    .refine((tokens) => tokens.length > 0, { message: "No email addresses found: put one per line, or separate them with commas.", abort: true })
    .pipe(CreateInvitationsBody.shape.emails),
  // The picker's default option sends "": the service then uses the scope's Member role.
  organizationRoleId: z.preprocess((v) => (v === "" ? undefined : v), CreateInvitationsBody.shape.organizationRoleId),
  projectRoleId: z.preprocess((v) => (v === "" ? undefined : v), CreateProjectInvitationsBody.shape.projectRoleId),
  ...ScopeField.shape,
});

/** The forms serve the organization's invitations and a project's: a hidden `projectId` says which. */
function scopeOf(projectId: string | undefined): InvitationScope {
  return projectId ? projectScope(projectId) : ORGANIZATION_SCOPE;
}

function pagesOf(projectId: string | undefined) {
  return scopedPages(projectId, ["/settings/invitations"], ["invitations"]);
}

export async function inviteMembersAction(
  _prev: ActionResult<InviteResult> | null,
  form: FormData,
): Promise<ActionResult<InviteResult>> {
  const input = formToObject(form);
  return runOrgAction(
    input,
    { schema: InviteForm, revalidate: (data) => pagesOf(data.projectId) },
    async (ctx, { emails, organizationRoleId, projectRoleId, projectId }) => {
      // The service refuses a whole request with one bad address; here each one gets its answer.
      const { valid } = normalizeEmails(emails);
      const answer = valid.length
        ? await createInvitations(ctx, { emails: valid, organizationRoleId, projectRoleId }, scopeOf(projectId))
        : { invitations: [], skipped: [], tokens: new Map<number, string>(), renewedIds: new Set<number>() };
      const written = new Map(answer.invitations.map((i) => [i.email, i]));
      const skipped = new Map(answer.skipped.map((s) => [s.email, s.reason]));
      const rows = emails.map((token): InviteRow => {
        const email = normalizeEmail(token);
        const invitation = written.get(email);
        if (invitation) {
          const token = answer.tokens.get(invitation.id);
          return { email, outcome: answer.renewedIds.has(invitation.id) ? "RENEWED" : "INVITED", link: token && inviteUrl(token) };
        }
        const reason = skipped.get(email);
        return reason ? { email, outcome: reason } : { email: token.trim(), outcome: "INVALID" };
      });
      const raw = typeof input.emails === "string" ? input.emails : "";
      return { rows, duplicates: splitDuplicates(extractAddresses(raw)).duplicates };
    },
  );
}

export interface ResendResult {
  invitation: AnyInvitationDto;
  link: string;
}

export async function resendInvitationAction(
  _prev: ActionResult<ResendResult> | null,
  form: FormData,
): Promise<ActionResult<ResendResult>> {
  return runOrgAction(
    formToObject(form),
    { schema: InvitationIdForm, revalidate: (data) => pagesOf(data.projectId) },
    async (ctx, { invitationId, projectId }) => {
      try {
        const { invitation, token } = await resendInvitation(ctx, invitationId, scopeOf(projectId));
        return { invitation, link: inviteUrl(token) };
      } catch (error) {
        // The service's 429 names the invitation id, which means nothing on this page.
        if (error instanceof AppError && error.code === "rate_limited") {
          const seconds = error.options.retryAfterSeconds ?? 60;
          throw new AppError(
            "rate_limited",
            `This invitation was emailed moments ago. To avoid flooding the inbox, you can resend it in ${seconds} ${seconds === 1 ? "second" : "seconds"}.`,
            { retryAfterSeconds: seconds },
          );
        }
        throw error;
      }
    },
  );
}

export async function revokeInvitationAction(
  _prev: ActionResult<{ id: number; deleted: true }> | null,
  form: FormData,
): Promise<ActionResult<{ id: number; deleted: true }>> {
  return runOrgAction(
    formToObject(form),
    { schema: InvitationIdForm, revalidate: (data) => pagesOf(data.projectId) },
    (ctx, { invitationId, projectId }) => revokeInvitation(ctx, invitationId, scopeOf(projectId)),
  );
}
