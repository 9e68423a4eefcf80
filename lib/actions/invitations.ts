"use server";
// Settings → Invitations: invite many addresses at once (answering per address instead of
// failing the whole paste on one typo), resend and revoke. The one-time invite links built
// here exist only in the action's answer; nothing stores them.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { createInvitations, resendInvitation, revokeInvitation } from "@/lib/services/invitations";
import { normalizeEmails } from "@/lib/services/invitations/emails";
import { inviteUrl } from "@/lib/services/invitations/tokens";
import { CreateInvitationsBody, InvitationIdParams, type AnyInvitationDto } from "@/lib/validation/invitations";
import { formToObject, runOrgAction, type ActionResult } from "./run";

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

/**
 * The address attempts in pasted text. In CSV-like lines (several fields) only the fields with
 * an @ count, so names and headers are passed over; a line holding a single token is always an
 * attempt, so a typo such as "ada.example.com" is reported as invalid rather than dropped.
 * Surrounding quotes and <> are removed.
 */
function addressTokens(text: string): string[] {
  const clean = (token: string) => token.replace(/^["'<(\[]+|[>"')\]]+$/g, "").trim();
  return text.split(/\r?\n/).flatMap((line) => {
    const tokens = line.split(/[\s,;]+/).map(clean).filter(Boolean);
    return tokens.length === 1 ? tokens : tokens.filter((token) => token.includes("@"));
  });
}

/** First spelling of each address (compared as the service compares them) and the repeats. */
function splitDuplicates(tokens: string[]) {
  const seen = new Set<string>();
  const unique: string[] = [];
  const duplicates: string[] = [];
  for (const token of tokens) {
    const key = token.trim().toLowerCase();
    if (seen.has(key)) duplicates.push(token);
    else {
      seen.add(key);
      unique.push(token);
    }
  }
  return { unique, duplicates };
}

const InviteForm = z.object({
  emails: z
    .string({ error: ENTER_ONE })
    .trim()
    .min(1, ENTER_ONE)
    .transform((text) => splitDuplicates(addressTokens(text)).unique)
    .refine((tokens) => tokens.length > 0, { message: "No email addresses found: put one per line, or separate them with commas.", abort: true })
    .pipe(CreateInvitationsBody.shape.emails),
  // The picker's default option sends "": the service then uses Member.
  organizationRoleId: z.preprocess((v) => (v === "" ? undefined : v), CreateInvitationsBody.shape.organizationRoleId),
});


export async function inviteMembersAction(
  _prev: ActionResult<InviteResult> | null,
  form: FormData,
): Promise<ActionResult<InviteResult>> {
  const input = formToObject(form);
  return runOrgAction(
    input,
    { schema: InviteForm, revalidate: ["/settings/invitations"] },
    async (ctx, { emails, organizationRoleId }) => {
      // The service refuses a whole request with one bad address; here each one gets its answer.
      const { valid } = normalizeEmails(emails);
      const answer = valid.length
        ? await createInvitations(ctx, { emails: valid, organizationRoleId })
        : { invitations: [], skipped: [], tokens: new Map<number, string>(), renewedIds: new Set<number>() };
      const written = new Map(answer.invitations.map((i) => [i.email, i]));
      const skipped = new Map(answer.skipped.map((s) => [s.email, s.reason]));
      const rows = emails.map((token): InviteRow => {
        const email = token.trim().toLowerCase();
        const invitation = written.get(email);
        if (invitation) {
          const token = answer.tokens.get(invitation.id);
          return { email, outcome: answer.renewedIds.has(invitation.id) ? "RENEWED" : "INVITED", link: token && inviteUrl(token) };
        }
        const reason = skipped.get(email);
        return reason ? { email, outcome: reason } : { email: token.trim(), outcome: "INVALID" };
      });
      const raw = typeof input.emails === "string" ? input.emails : "";
      return { rows, duplicates: splitDuplicates(addressTokens(raw)).duplicates };
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
    { schema: InvitationIdParams, revalidate: ["/settings/invitations"] },
    async (ctx, { invitationId }) => {
      try {
        const { invitation, token } = await resendInvitation(ctx, invitationId);
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
    { schema: InvitationIdParams, revalidate: ["/settings/invitations"] },
    (ctx, { invitationId }) => revokeInvitation(ctx, invitationId),
  );
}
