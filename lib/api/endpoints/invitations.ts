import { z } from "zod";
import {
  CreateInvitationsBody,
  CreateInvitationsResponse,
  DeletedResponse,
  InvitationIdParams,
  InvitationResponse,
  ListInvitationsQuery,
  ListInvitationsResponse,
} from "@/lib/validation/invitations";
import { OrganizationResponse, UpdateOrganizationBody } from "@/lib/validation/organization";
import { define } from "./define";

export const organizationEndpoints = {
  getOrganization: define({
    method: "GET",
    path: "/v1/organization",
    tag: "Organization",
    summary: "Get the organization of the API key",
    auth: true,
    response: OrganizationResponse,
  }),
  updateOrganization: define({
    method: "PUT",
    path: "/v1/organization",
    tag: "Organization",
    summary: "Rename the organization",
    auth: true,
    body: UpdateOrganizationBody,
    response: OrganizationResponse,
  }),
};

export const invitationEndpoints = {
  listInvitations: define({
    method: "GET",
    path: "/v1/organization/invitations",
    tag: "Invitations",
    summary: "List pending and declined invitations, newest first",
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

export const discoveryEndpoints = {
  openapi: define({
    method: "GET",
    path: "/v1/openapi.json",
    tag: "Discovery",
    summary: "This OpenAPI 3.1 document",
    auth: false,
    response: z.object({}).loose(),
  }),
};
