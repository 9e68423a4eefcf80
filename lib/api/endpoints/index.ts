// Every /v1 endpoint's contract in one table: method, path, and the zod schemas that both
// validate requests and generate /v1/openapi.json. Route files pick their entry from here;
// each area keeps its entries in its own file.
import { apiKeyEndpoints } from "./api-keys";
import { discoveryEndpoints } from "./discovery";
import { invitationEndpoints } from "./invitations";
import { organizationEndpoints } from "./organization";
import { governanceEndpoints } from "./governance";
import { memberEndpoints } from "./members";
import { projectIamEndpoints } from "./project-iam";
import { projectInvitationEndpoints } from "./project-invitations";
import { projectEndpoints } from "./projects";
import { roleEndpoints } from "./roles";

export const endpoints = {
  ...organizationEndpoints,
  ...invitationEndpoints,
  ...memberEndpoints,
  ...apiKeyEndpoints,
  ...roleEndpoints,
  ...projectEndpoints,
  ...projectIamEndpoints,
  ...projectInvitationEndpoints,
  ...governanceEndpoints,
  ...discoveryEndpoints,
};
