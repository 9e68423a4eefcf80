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

export const ListInvitationsQuery = z.object({
  status: z.enum(["PENDING", "DECLINED"], { error: "status must be PENDING or DECLINED" }).optional(),
  email: z.string().max(320, "email filter is too long").optional(),
});
export type ListInvitationsQuery = z.infer<typeof ListInvitationsQuery>;

export const ListInvitationsResponse = z.object({ invitations: z.array(InvitationDto) });

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

export const ListProjectInvitationsResponse = z.object({ invitations: z.array(ProjectInvitationDto) });

export const ProjectInvitationResponse = z.object({ invitation: ProjectInvitationDto });

export const InvitationResponse = z.object({ invitation: InvitationDto });

export const DeletedResponse = z.object({ id: z.number().int(), deleted: z.literal(true) });
