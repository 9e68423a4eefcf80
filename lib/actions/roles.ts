"use server";
// Settings actions for custom roles and policies, of the organization or (with a hidden
// `projectId`) of one of its projects: the contract's RoleBody / PolicyBody parsed from form
// fields, then the same services the REST API calls with the scope as a parameter (they own
// every rule: system rows are read-only, names are unique, nobody grants what they do not hold,
// in-use rows 409).
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

const CreateRoleForm = RoleBody.extend(ScopeField.shape);

export async function createRoleAction(_prev: ActionResult<AnyRole> | null, form: FormData): Promise<ActionResult<AnyRole>> {
  return runOrgAction(formWithList(form, "policyIds"), { schema: CreateRoleForm, revalidate }, (ctx, { projectId, ...body }) =>
    createRole(ctx, body, scopeOf(projectId)),
  );
}

const UpdateRoleForm = CreateRoleForm.extend(RoleIdParams.shape);

export async function updateRoleAction(_prev: ActionResult<AnyRole> | null, form: FormData): Promise<ActionResult<AnyRole>> {
  return runOrgAction(formWithList(form, "policyIds"), { schema: UpdateRoleForm, revalidate }, (ctx, { roleId, projectId, ...body }) =>
    updateRole(ctx, roleId, body, scopeOf(projectId)),
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
