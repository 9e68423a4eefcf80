// Governance policies (contract §7), named as the contract and the SDKs name them.
import { z } from "zod";
import { ListMembersQuery } from "./members";
import { projectIdField } from "./projects";

const Ref = z.object({ id: z.string(), name: z.string() });

export const GovernanceControlType = z.enum(["RUNTIME", "PRE_DEPLOYMENT_EVALS", "PRE_DEPLOYMENT_RED_TEAMING", "OPERATIONAL"], {
  error: "type must be one of RUNTIME, PRE_DEPLOYMENT_EVALS, PRE_DEPLOYMENT_RED_TEAMING, OPERATIONAL",
});

export const GovernanceControlDto = z.object({ id: z.string(), name: z.string(), type: GovernanceControlType });

export const GovernancePolicyDto = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    projectsCount: z.number().int(),
    controls: z.array(GovernanceControlDto),
  })
  .meta({ id: "GovernancePolicy" });
export type GovernancePolicyDto = z.infer<typeof GovernancePolicyDto>;

export const MAX_CONTROLS = 50;
/** [ours] Enough to enroll a large organization's projects in one call, small enough for one query. */
export const MAX_PROJECT_IDS = 1000;

const Name = z
  .string({ error: "name is required and must be a string" })
  .trim()
  .min(1, "name must not be empty")
  .max(100, "name must be at most 100 characters");

const Control = z.object(
  {
    name: z
      .string({ error: "controls: each control needs a name (a string)" })
      .trim()
      .min(1, "controls: a control's name must not be empty")
      .max(100, "controls: a control's name must be at most 100 characters"),
    type: GovernanceControlType,
  },
  { error: "controls must contain objects {name, type}" },
);

// PUT is a full replacement, so an omitted description clears it, exactly as null or "" do.
export const GovernancePolicyBody = z.object({
  name: Name,
  description: z
    .string({ error: "description must be a string or null" })
    .trim()
    .max(500, "description must be at most 500 characters")
    .nullish()
    .transform((value) => value || null),
  controls: z
    .array(Control, { error: "controls is required and must be a list of {name, type}" })
    .max(MAX_CONTROLS, `controls may contain at most ${MAX_CONTROLS} controls`),
});
export type GovernancePolicyBody = z.infer<typeof GovernancePolicyBody>;

export const GovernancePolicyIdParams = z.object({
  policyId: z.uuid({ error: "policyId must be a governance policy id (UUID)" }),
});

/** Same paging rules as the member lists: page ≥ 1, pageSize 1–100, default 25. */
export const GovernancePolicyProjectsQuery = ListMembersQuery;
export type GovernancePolicyProjectsQuery = z.infer<typeof GovernancePolicyProjectsQuery>;

export const ProjectIdsBody = z.object({
  projectIds: z
    .array(
      projectIdField({
        type: "projectIds must contain only project ids (strings)",
        empty: "projectIds: a project id must not be empty",
        long: "projectIds: a project id is longer than 100 characters",
      }),
      { error: "projectIds is required and must be a list of project ids" })
    .min(1, "projectIds must contain at least one project id")
    .max(MAX_PROJECT_IDS, `projectIds may contain at most ${MAX_PROJECT_IDS} ids`),
});
export type ProjectIdsBody = z.infer<typeof ProjectIdsBody>;

export const ListGovernancePoliciesResponse = z.object({ governancePolicies: z.array(GovernancePolicyDto) });
export const GovernancePolicyResponse = z.object({ governancePolicy: GovernancePolicyDto });
export const GovernancePolicyProjectsResponse = z.object({ projects: z.array(Ref), total: z.number().int() });
export const AssignProjectsResponse = z.object({
  governancePolicy: Ref,
  assignedProjectIds: z.array(z.string()),
  notFoundProjectIds: z.array(z.string()),
  count: z.number().int(),
});
export const UnassignProjectsResponse = z.object({
  governancePolicy: Ref,
  unassignedProjectIds: z.array(z.string()),
  skippedProjectIds: z.array(z.string()),
  count: z.number().int(),
});
