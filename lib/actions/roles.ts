"use server";
// Settings actions for custom roles and policies, of the organization or (with a hidden
// `projectId`) of one of its projects: the contract's RoleBody / PolicyBody parsed from form
// fields, then the same services the REST API calls with the scope as a parameter (they own
// every rule: system rows are read-only, names are unique, nobody grants what they do not hold,
// in-use rows 409).
import { z } from "zod";
import { projectScope, ORGANIZATION_SCOPE } from "@/lib/services/iam";
import { createPolicy, deletePolicy, updatePolicy } from "@/lib/services/policies";
import { createRole, deleteRole, updateRole } from "@/lib/services/roles";
import { PolicyBody, PolicyIdParams, RoleBody, RoleIdParams, type PolicyDto, type RoleDto } from "@/lib/validation/roles";
import type { ProjectRoleDto } from "@/lib/validation/project-iam";
import { formToObject, runOrgAction, type ActionResult } from "./run";
import { ScopeField, scopedPages } from "./scope";

const scopeOf = (projectId: string | undefined) => (projectId ? projectScope(projectId) : ORGANIZATION_SCOPE);
// Roles appear in the members and invitations pickers too, and every change is audited.
const revalidate = ({ projectId }: { projectId?: string }) =>
  scopedPages(
    projectId,
    ["/settings/roles", "/settings/members", "/settings/invitations", "/settings/audit-log"],
    ["roles", "members", "invitations"],
  );

type Deleted = { id: string; deleted: true };
type AnyRole = RoleDto | ProjectRoleDto;

/** Unchecked checkboxes send nothing, so "no boxes ticked" arrives as a missing field: an empty list. */
function formWithList(form: FormData, list: string) {
  return { [list]: [], ...formToObject(form, [list]) };
}

// Not exported: a "use server" module exports only its actions.
const NO_POLICIES_WARNING =
  "Without a policy this role grants no permissions: whoever holds it can view and change nothing. " +
  "Tick at least one policy, or confirm below that you want it empty.";

/**
 * The API takes a role without policies (`policyIds: []`, a placeholder to fill in later); a
 * person at the form is asked first, since an unticked list is more often a slip. The form's
 * confirmation is the `confirmNoPolicies` checkbox the warning brings up.
 */
const RoleFormFields = RoleBody.extend({
  confirmNoPolicies: z.literal("yes").optional(),
  ...ScopeField.shape,
});

function confirmedUnlessEmpty(data: { policyIds: string[]; confirmNoPolicies?: "yes" }, ctx: z.RefinementCtx) {
  if (data.policyIds.length === 0 && data.confirmNoPolicies !== "yes") {
    ctx.addIssue({ code: "custom", path: ["confirmNoPolicies"], message: NO_POLICIES_WARNING });
  }
}

const CreateRoleForm = RoleFormFields.superRefine(confirmedUnlessEmpty);

const roleBody = ({ name, description, policyIds }: z.output<typeof RoleBody>) => ({ name, description, policyIds });

export async function createRoleAction(_prev: ActionResult<AnyRole> | null, form: FormData): Promise<ActionResult<AnyRole>> {
  return runOrgAction(formWithList(form, "policyIds"), { schema: CreateRoleForm, revalidate }, (ctx, data) =>
    createRole(ctx, roleBody(data), scopeOf(data.projectId)),
  );
}

const UpdateRoleForm = RoleFormFields.extend(RoleIdParams.shape).superRefine(confirmedUnlessEmpty);

export async function updateRoleAction(_prev: ActionResult<AnyRole> | null, form: FormData): Promise<ActionResult<AnyRole>> {
  return runOrgAction(formWithList(form, "policyIds"), { schema: UpdateRoleForm, revalidate }, (ctx, data) =>
    updateRole(ctx, data.roleId, roleBody(data), scopeOf(data.projectId)),
  );
}

const RoleIdForm = RoleIdParams.extend(ScopeField.shape);

export async function deleteRoleAction(_prev: ActionResult<Deleted> | null, form: FormData): Promise<ActionResult<Deleted>> {
  return runOrgAction(formToObject(form), { schema: RoleIdForm, revalidate }, (ctx, data) =>
    deleteRole(ctx, data.roleId, scopeOf(data.projectId)),
  );
}

const CreatePolicyForm = PolicyBody.extend(ScopeField.shape);

export async function createPolicyAction(_prev: ActionResult<PolicyDto> | null, form: FormData): Promise<ActionResult<PolicyDto>> {
  return runOrgAction(formWithList(form, "permissionIds"), { schema: CreatePolicyForm, revalidate }, (ctx, { projectId, ...body }) =>
    createPolicy(ctx, body, scopeOf(projectId)),
  );
}

const UpdatePolicyForm = CreatePolicyForm.extend(PolicyIdParams.shape);

export async function updatePolicyAction(_prev: ActionResult<PolicyDto> | null, form: FormData): Promise<ActionResult<PolicyDto>> {
  return runOrgAction(
    formWithList(form, "permissionIds"),
    { schema: UpdatePolicyForm, revalidate },
    (ctx, { policyId, projectId, ...body }) => updatePolicy(ctx, policyId, body, scopeOf(projectId)),
  );
}

const PolicyIdForm = PolicyIdParams.extend(ScopeField.shape);

export async function deletePolicyAction(_prev: ActionResult<Deleted> | null, form: FormData): Promise<ActionResult<Deleted>> {
  return runOrgAction(formToObject(form), { schema: PolicyIdForm, revalidate }, (ctx, data) =>
    deletePolicy(ctx, data.policyId, scopeOf(data.projectId)),
  );
}
