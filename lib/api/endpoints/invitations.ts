// /v1 endpoints: organization invitations.
import {
  CreateInvitationsBody,
  CreateInvitationsResponse,
  DeletedResponse,
  InvitationIdParams,
  InvitationResponse,
  ListInvitationsQuery,
  ListInvitationsResponse,
} from "@/lib/validation/invitations";
import { define } from "./define";

export const invitationEndpoints = {
  listInvitations: define({
    method: "GET",
    path: "/v1/organization/invitations",
    tag: "Invitations",
    summary:
      "List pending and declined invitations, newest first. Optional keyset paging: limit (1-500) returns that many and a nextCursor (null on the last page) to pass back as cursor",
    auth: true,
    query: ListInvitationsQuery,
    response: ListInvitationsResponse,
  }),
  createInvitations: define({
    method: "POST",
    path: "/v1/organization/invitations",
    tag: "Invitations",
    summary: "Invite people by email (1-100 addresses) with a role",
    auth: true,
    body: CreateInvitationsBody,
    response: CreateInvitationsResponse,
  }),
  resendInvitation: define({
    method: "PUT",
    path: "/v1/organization/invitations/{invitationId}",
    tag: "Invitations",
    summary: "Resend a pending invitation with a new link and expiry",
    auth: true,
    params: InvitationIdParams,
    response: InvitationResponse,
  }),
  revokeInvitation: define({
    method: "DELETE",
    path: "/v1/organization/invitations/{invitationId}",
    tag: "Invitations",
    summary: "Revoke a pending or declined invitation",
    auth: true,
    params: InvitationIdParams,
    response: DeletedResponse,
  }),
};
