"use server";
// Settings actions for custom roles and policies: the contract's RoleBody / PolicyBody parsed
// from form fields, then the same services the REST API calls (which own every rule: system
// rows are read-only, names are unique, nobody grants what they do not hold, in-use rows 409).
import { createPolicy, deletePolicy, updatePolicy } from "@/lib/services/policies";
import { createRole, deleteRole, updateRole } from "@/lib/services/roles";
import { PolicyBody, PolicyIdParams, RoleBody, RoleIdParams, type PolicyDto, type RoleDto } from "@/lib/validation/roles";
import { formToObject, runOrgAction, type ActionResult } from "./run";

// Roles appear in the members and invitations pickers too, and every change is audited.
const revalidate = ["/settings/roles", "/settings/members", "/settings/invitations", "/settings/audit-log"];

type Deleted = { id: string; deleted: true };

/** Unchecked checkboxes send nothing, so "no boxes ticked" arrives as a missing field: an empty list. */
function formWithList(form: FormData, list: string) {
  return { [list]: [], ...formToObject(form, [list]) };
}

export async function createRoleAction(_prev: ActionResult<RoleDto> | null, form: FormData): Promise<ActionResult<RoleDto>> {
  return runOrgAction(formWithList(form, "policyIds"), { schema: RoleBody, revalidate }, (ctx, data) =>
    createRole(ctx, data),
  );
}

const UpdateRoleForm = RoleBody.extend(RoleIdParams.shape);

export async function updateRoleAction(_prev: ActionResult<RoleDto> | null, form: FormData): Promise<ActionResult<RoleDto>> {
  return runOrgAction(formWithList(form, "policyIds"), { schema: UpdateRoleForm, revalidate }, (ctx, { roleId, ...body }) =>
    updateRole(ctx, roleId, body),
  );
}

export async function deleteRoleAction(_prev: ActionResult<Deleted> | null, form: FormData): Promise<ActionResult<Deleted>> {
  return runOrgAction(formToObject(form), { schema: RoleIdParams, revalidate }, (ctx, data) =>
    deleteRole(ctx, data.roleId),
  );
}

export async function createPolicyAction(_prev: ActionResult<PolicyDto> | null, form: FormData): Promise<ActionResult<PolicyDto>> {
  return runOrgAction(formWithList(form, "permissionIds"), { schema: PolicyBody, revalidate }, (ctx, data) =>
    createPolicy(ctx, data),
  );
}

const UpdatePolicyForm = PolicyBody.extend(PolicyIdParams.shape);

export async function updatePolicyAction(_prev: ActionResult<PolicyDto> | null, form: FormData): Promise<ActionResult<PolicyDto>> {
  return runOrgAction(
    formWithList(form, "permissionIds"),
    { schema: UpdatePolicyForm, revalidate },
    (ctx, { policyId, ...body }) => updatePolicy(ctx, policyId, body),
  );
}

export async function deletePolicyAction(_prev: ActionResult<Deleted> | null, form: FormData): Promise<ActionResult<Deleted>> {
  return runOrgAction(formToObject(form), { schema: PolicyIdParams, revalidate }, (ctx, data) =>
    deletePolicy(ctx, data.policyId),
  );
}
