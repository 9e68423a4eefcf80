"use server";
// Settings → Governance: policies with their controls (create, replace, delete) and which
// projects are enrolled in each (assign, unassign). The governance service owns every rule
// (org project:manage to write, unique names, a project on at most one policy).
import { z } from "zod";
import {
  assignProjects,
  createGovernancePolicy,
  deleteGovernancePolicy,
  unassignProjects,
  updateGovernancePolicy,
} from "@/lib/services/governance";
import { GovernancePolicyBody, GovernancePolicyIdParams, ProjectIdsBody, type GovernancePolicyDto } from "@/lib/validation/governance";
import { formToObject, runOrgAction, type ActionResult } from "./run";

// The Projects list shows each project's policy; every change is audited.
const revalidate = ["/settings/governance", "/settings/projects", "/settings/audit-log"];

/**
 * The controls editor sends one `controlName` and one `controlType` per row, in order. A row
 * left without a name is an unused blank row, not a control.
 */
function policyForm(form: FormData) {
  const names = form.getAll("controlName").map(String);
  const types = form.getAll("controlType").map(String);
  const controls = names.map((name, i) => ({ name, type: types[i] })).filter((control) => control.name.trim() !== "");
  return { ...formToObject(form, ["controlName", "controlType"]), controls };
}

export async function createGovernancePolicyAction(
  _prev: ActionResult<GovernancePolicyDto> | null,
  form: FormData,
): Promise<ActionResult<GovernancePolicyDto>> {
  return runOrgAction(policyForm(form), { schema: GovernancePolicyBody, revalidate }, (ctx, body) => createGovernancePolicy(ctx, body));
}

const UpdatePolicyForm = GovernancePolicyBody.extend(GovernancePolicyIdParams.shape);

export async function updateGovernancePolicyAction(
  _prev: ActionResult<GovernancePolicyDto> | null,
  form: FormData,
): Promise<ActionResult<GovernancePolicyDto>> {
  return runOrgAction(policyForm(form), { schema: UpdatePolicyForm, revalidate }, (ctx, { policyId, ...body }) =>
    updateGovernancePolicy(ctx, policyId, body),
  );
}

export async function deleteGovernancePolicyAction(
  _prev: ActionResult<{ id: string; deleted: true }> | null,
  form: FormData,
): Promise<ActionResult<{ id: string; deleted: true }>> {
  return runOrgAction(formToObject(form), { schema: GovernancePolicyIdParams, revalidate }, (ctx, { policyId }) =>
    deleteGovernancePolicy(ctx, policyId),
  );
}

// Ticked checkboxes arrive as a list; none ticked is a missing field, answered in the form's words.
const ProjectsForm = GovernancePolicyIdParams.extend({
  projectIds: z.array(z.string()).min(1, "Choose at least one project.").pipe(ProjectIdsBody.shape.projectIds),
});
const projectsForm = (form: FormData) => ({ projectIds: [], ...formToObject(form, ["projectIds"]) });

export type AssignResult = Awaited<ReturnType<typeof assignProjects>>;
export type UnassignResult = Awaited<ReturnType<typeof unassignProjects>>;

export async function assignProjectsAction(_prev: ActionResult<AssignResult> | null, form: FormData): Promise<ActionResult<AssignResult>> {
  return runOrgAction(projectsForm(form), { schema: ProjectsForm, revalidate }, (ctx, { policyId, projectIds }) =>
    assignProjects(ctx, policyId, { projectIds }),
  );
}

export async function unassignProjectsAction(_prev: ActionResult<UnassignResult> | null, form: FormData): Promise<ActionResult<UnassignResult>> {
  return runOrgAction(projectsForm(form), { schema: ProjectsForm, revalidate }, (ctx, { policyId, projectIds }) =>
    unassignProjects(ctx, policyId, { projectIds }),
  );
}
