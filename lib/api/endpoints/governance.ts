// /v1 endpoints: governance policies (contract §7). Create, update and delete are [ours].
import {
  AssignProjectsResponse,
  GovernancePolicyBody,
  GovernancePolicyIdParams,
  GovernancePolicyProjectsQuery,
  GovernancePolicyProjectsResponse,
  GovernancePolicyResponse,
  ListGovernancePoliciesResponse,
  ProjectIdsBody,
  UnassignProjectsResponse,
} from "@/lib/validation/governance";
import { DeletedUuidResponse } from "@/lib/validation/roles";
import { define } from "./define";

const BASE = "/v1/organization/governance-policies";
const TAG = "Governance";

export const governanceEndpoints = {
  listGovernancePolicies: define({
    method: "GET",
    path: BASE,
    tag: TAG,
    summary: "List the organization's governance policies with their controls and how many projects each has",
    auth: true,
    response: ListGovernancePoliciesResponse,
  }),
  createGovernancePolicy: define({
    method: "POST",
    path: BASE,
    tag: TAG,
    summary: "Create a governance policy with its controls",
    auth: true,
    body: GovernancePolicyBody,
    response: GovernancePolicyResponse,
  }),
  updateGovernancePolicy: define({
    method: "PUT",
    path: `${BASE}/{policyId}`,
    tag: TAG,
    summary: "Replace a governance policy: name, description and all of its controls",
    auth: true,
    params: GovernancePolicyIdParams,
    body: GovernancePolicyBody,
    response: GovernancePolicyResponse,
  }),
  deleteGovernancePolicy: define({
    method: "DELETE",
    path: `${BASE}/{policyId}`,
    tag: TAG,
    summary: "Delete a governance policy; its projects become unenrolled",
    auth: true,
    params: GovernancePolicyIdParams,
    response: DeletedUuidResponse,
  }),
  listGovernancePolicyProjects: define({
    method: "GET",
    path: `${BASE}/{policyId}/projects`,
    tag: TAG,
    summary: "List the projects enrolled in a governance policy, a page at a time",
    auth: true,
    params: GovernancePolicyIdParams,
    query: GovernancePolicyProjectsQuery,
    response: GovernancePolicyProjectsResponse,
  }),
  assignGovernancePolicy: define({
    method: "POST",
    path: `${BASE}/{policyId}/assign`,
    tag: TAG,
    summary: "Enroll projects in a governance policy (partial success: unknown ids are reported, not refused)",
    auth: true,
    params: GovernancePolicyIdParams,
    body: ProjectIdsBody,
    response: AssignProjectsResponse,
  }),
  unassignGovernancePolicy: define({
    method: "POST",
    path: `${BASE}/{policyId}/unassign`,
    tag: TAG,
    summary: "Unenroll projects from a governance policy (ids not on it are skipped)",
    auth: true,
    params: GovernancePolicyIdParams,
    body: ProjectIdsBody,
    response: UnassignProjectsResponse,
  }),
};
