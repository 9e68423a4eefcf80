// The body of a roles & policies page, the organization's or a project's (`projectId`): the
// scope's roles, policies and permission catalogue, with what `held` (the viewer's permissions
// in that scope) lets them grant.
import { PROJECT_POLICIES, SYSTEM_POLICIES } from "@/lib/db/system-roles";
import type { ServiceContext } from "@/lib/services/context";
import { listPermissions, ORGANIZATION_SCOPE, projectScope } from "@/lib/services/iam";
import { listPolicies } from "@/lib/services/policies";
import { listRoles } from "@/lib/services/roles";
import { groupPermissions, type PermissionItem } from "./permission-groups";
import { PoliciesSection } from "./policies-section";
import type { PolicyChoice } from "./role-forms";
import { RolesSection } from "./roles-section";

const SYSTEM_POLICY_IDS: string[] = [...Object.values(SYSTEM_POLICIES), ...Object.values(PROJECT_POLICIES)];

export async function IamContent({ ctx, held, projectId }: { ctx: ServiceContext; held: ReadonlySet<string>; projectId?: string }) {
  const scope = projectId ? projectScope(projectId) : ORGANIZATION_SCOPE;
  const [roles, policies, permissions] = await Promise.all([listRoles(ctx, scope), listPolicies(ctx, scope), listPermissions(ctx, scope)]);
  const canManage = held.has("iam:manage");

  // Policies name their permissions; the catalogue adds the descriptions shown on hover.
  const catalogue = new Map(permissions.map((p) => [p.id, p]));
  const permissionsOfPolicy = new Map<string, PermissionItem[]>(
    policies.map((p) => [p.id, p.permissions.map((ref) => catalogue.get(ref.id) ?? { ...ref, description: null })]),
  );
  const policyChoices: PolicyChoice[] = policies.map((p) => ({
    id: p.id,
    name: p.name,
    description: p.description,
    system: SYSTEM_POLICY_IDS.includes(p.id),
    permissionCount: p.permissions.length,
    grantable: p.permissions.every((ref) => held.has(ref.name)),
  }));
  const permissionGroups = groupPermissions(permissions.map((p) => ({ ...p, held: held.has(p.name) })));

  return (
    <>
      <RolesSection
        roles={roles}
        permissionsOfPolicy={permissionsOfPolicy}
        totalPermissions={permissions.length}
        policyChoices={policyChoices}
        canManage={canManage}
        projectId={projectId}
      />
      <PoliciesSection
        policies={policies.map((p) => ({ ...p, system: SYSTEM_POLICY_IDS.includes(p.id), permissions: permissionsOfPolicy.get(p.id) ?? [] }))}
        totalPermissions={permissions.length}
        permissionGroups={permissionGroups}
        canManage={canManage}
        projectId={projectId}
      />
    </>
  );
}
