// /v1 endpoints: the organization of the API key.
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
