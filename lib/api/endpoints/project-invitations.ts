// /v1 endpoints: project invitations — the same engine as the organization's, scoped to a project.
import {
  CreateProjectInvitationsBody,
  CreateProjectInvitationsResponse,
  DeletedResponse,
  ListInvitationsQuery,
  ListProjectInvitationsResponse,
  ProjectInvitationParams,
  ProjectInvitationResponse,
  ProjectInvitationsParams,
} from "@/lib/validation/invitations";
import { define } from "./define";

export const projectInvitationEndpoints = {
  listProjectInvitations: define({
    method: "GET",
    path: "/v1/projects/{projectId}/invitations",
    tag: "Project invitations",
    summary:
      "List the project's pending and declined invitations, newest first. Optional keyset paging: limit (1-500) returns that many and a nextCursor (null on the last page) to pass back as cursor",
    auth: true,
    params: ProjectInvitationsParams,
    query: ListInvitationsQuery,
    response: ListProjectInvitationsResponse,
  }),
  createProjectInvitations: define({
    method: "POST",
    path: "/v1/projects/{projectId}/invitations",
    tag: "Project invitations",
    summary: "Invite people to the project by email (1-100 addresses) with a project role",
    auth: true,
    params: ProjectInvitationsParams,
    body: CreateProjectInvitationsBody,
    response: CreateProjectInvitationsResponse,
  }),
  resendProjectInvitation: define({
    method: "PUT",
    path: "/v1/projects/{projectId}/invitations/{invitationId}",
    tag: "Project invitations",
    summary: "Resend a pending project invitation with a new link and expiry",
    auth: true,
    params: ProjectInvitationParams,
    response: ProjectInvitationResponse,
  }),
  revokeProjectInvitation: define({
    method: "DELETE",
    path: "/v1/projects/{projectId}/invitations/{invitationId}",
    tag: "Project invitations",
    summary: "Revoke a pending or declined project invitation",
    auth: true,
    params: ProjectInvitationParams,
    response: DeletedResponse,
  }),
};
