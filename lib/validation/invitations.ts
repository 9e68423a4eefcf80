import { z } from "zod";
import { IntegerId, Timestamp } from "./common";
import { ProjectId } from "./projects";

export const MAX_EMAILS_PER_REQUEST = 100;

export const InvitationStatusEnum = z.enum(["PENDING", "ACCEPTED", "DECLINED"]);
export const EmailStatusEnum = z.enum(["QUEUED", "SENT", "DELIVERED", "BOUNCED", "FAILED"]);

const invitationFields = {
  id: z.number().int(),
  email: z.string(),
  status: InvitationStatusEnum,
  created_at: Timestamp,
  expires_at: Timestamp,
  last_sent_at: Timestamp,
  email_status: EmailStatusEnum,
};

export const InvitationDto = z.object({ ...invitationFields, organizationRoleId: z.string() }).meta({ id: "Invitation" });
export type InvitationDto = z.infer<typeof InvitationDto>;

/** A project invitation: the same fields, with the project role (contract §6). */
export const ProjectInvitationDto = z
  .object({ ...invitationFields, projectRoleId: z.string() })
  .meta({ id: "ProjectInvitation" });
export type ProjectInvitationDto = z.infer<typeof ProjectInvitationDto>;

export type AnyInvitationDto = InvitationDto | ProjectInvitationDto;

/** The role an invitation gives, whichever scope's field names it. */
export const roleIdOf = (invitation: AnyInvitationDto) =>
  "projectRoleId" in invitation ? invitation.projectRoleId : invitation.organizationRoleId;

export const CreateInvitationsBody = z.object({
  emails: z
    .array(z.string({ error: "emails must be a list of strings" }).max(320, "emails: an address is longer than 320 characters"), {
      error: "emails is required and must be a list of email addresses",
    })
    .min(1, "emails must contain at least one address")
    .max(MAX_EMAILS_PER_REQUEST, `emails may contain at most ${MAX_EMAILS_PER_REQUEST} addresses`),
  organizationRoleId: z.uuid({ error: "organizationRoleId must be a role id (UUID)" }).optional(),
});
export type CreateInvitationsBody = z.infer<typeof CreateInvitationsBody>;

export const SkippedReason = z.enum(["ALREADY_MEMBER", "ALREADY_INVITED"]);

export const CreateInvitationsResponse = z.object({
  invitations: z.array(InvitationDto),
  skipped: z.array(z.object({ email: z.string(), reason: SkippedReason })),
});

/** Paging of the invitation lists **[ours]**: `limit` 1-500; a `cursor` alone pages by 100. */
export const MAX_INVITATIONS_LIMIT = 500;
export const DEFAULT_INVITATIONS_LIMIT = 100;

/** Where a page ends: the (created_at, id) of its last invitation, the keyset the list is ordered by. */
export interface InvitationCursor {
  createdAt: string;
  id: number;
}

// Opaque to clients: base64url of "<created_at>_<id>". created_at has the column's millisecond
// precision, so the position is exact.
const CURSOR_TEXT = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)_([1-9]\d{0,9})$/;

export function encodeInvitationCursor(position: InvitationCursor): string {
  return Buffer.from(`${position.createdAt}_${position.id}`).toString("base64url");
}

/** The position a cursor names, or null for anything this server did not hand out. */
export function decodeInvitationCursor(cursor: string): InvitationCursor | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return null;
  const match = CURSOR_TEXT.exec(Buffer.from(cursor, "base64url").toString("latin1"));
  if (!match) return null;
  const id = Number(match[2]);
  const time = Date.parse(match[1]!);
  if (id > 2_147_483_647 || Number.isNaN(time) || new Date(time).toISOString() !== match[1]) return null;
  return { createdAt: match[1]!, id };
}

const LIMIT_MESSAGE = `limit must be a whole number between 1 and ${MAX_INVITATIONS_LIMIT}`;

export const ListInvitationsQuery = z.object({
  status: z.enum(["PENDING", "DECLINED"], { error: "status must be PENDING or DECLINED" }).optional(),
  email: z.string().max(320, "email filter is too long").optional(),
  limit: z
    .string()
    .regex(/^[1-9]\d{0,3}$/, LIMIT_MESSAGE)
    .transform(Number)
    .refine((n) => n <= MAX_INVITATIONS_LIMIT, LIMIT_MESSAGE)
    .optional(),
  cursor: z
    .string()
    .transform((value, ctx) => {
      const position = decodeInvitationCursor(value);
      if (position) return position;
      ctx.addIssue({ code: "custom", message: "cursor is not valid: pass the nextCursor of a previous answer unchanged" });
      return z.NEVER;
    })
    .optional(),
});
export type ListInvitationsQuery = z.infer<typeof ListInvitationsQuery>;

// `nextCursor` only when the request pages (limit or cursor given): without them the answer is
// exactly Confident's. null on the last page.
const nextCursor = z.string().nullable().optional();

export const ListInvitationsResponse = z.object({ invitations: z.array(InvitationDto), nextCursor });

export const InvitationIdParams = z.object({ invitationId: IntegerId });

/** A project id in a path: the one definition (lib/validation/projects.ts). */
export const ProjectIdParam = ProjectId;

export const ProjectInvitationsParams = z.object({ projectId: ProjectIdParam });
export const ProjectInvitationParams = z.object({ projectId: ProjectIdParam, invitationId: IntegerId });

export const CreateProjectInvitationsBody = z.object({
  emails: CreateInvitationsBody.shape.emails,
  projectRoleId: z.uuid({ error: "projectRoleId must be a role id (UUID)" }).optional(),
});
export type CreateProjectInvitationsBody = z.infer<typeof CreateProjectInvitationsBody>;

export const CreateProjectInvitationsResponse = z.object({
  invitations: z.array(ProjectInvitationDto),
  skipped: z.array(z.object({ email: z.string(), reason: SkippedReason })),
});

export const ListProjectInvitationsResponse = z.object({ invitations: z.array(ProjectInvitationDto), nextCursor });

export const ProjectInvitationResponse = z.object({ invitation: ProjectInvitationDto });

export const InvitationResponse = z.object({ invitation: InvitationDto });

export const DeletedResponse = z.object({ id: z.number().int(), deleted: z.literal(true) });
