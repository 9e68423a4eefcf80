// The policies half of the page: the read-only system policies and the organization's (or the
// project's, with `projectId`) own, with inline edit and delete for those who may manage them.
import { deletePolicyAction } from "@/lib/actions/roles";
import type { PermissionGroup, PermissionItem } from "./permission-groups";
import { PermissionSummary } from "./permission-summary";
import { PolicyForm, type PermissionChoice } from "./policy-form";
import { DeleteForm } from "./role-forms";
import styles from "./roles.module.css";

export interface PolicyView {
  id: string;
  name: string;
  description: string | null;
  system: boolean;
  permissions: PermissionItem[];
}

export function PoliciesSection({
  policies,
  totalPermissions,
  permissionGroups,
  canManage,
  projectId,
}: {
  policies: PolicyView[];
  totalPermissions: number;
  permissionGroups: PermissionGroup<PermissionChoice>[];
  canManage: boolean;
  projectId?: string;
}) {
  const custom = policies.filter((p) => !p.system);
  return (
    <section id="policies" className="stack" aria-labelledby="policies-heading">
      <h2 id="policies-heading">Policies</h2>
      <div className="card">
        <ul className={styles.list}>
          {policies.map((policy) => (
            <li key={policy.id} className={styles.item}>
              <div className={styles.itemHead}>
                <div>
                  <h3>
                    {policy.name}
                    {policy.system && <span className="badge badge-blue">System</span>}
                  </h3>
                  {policy.description && <p className="muted">{policy.description}</p>}
                  <PermissionSummary permissions={policy.permissions} total={totalPermissions} />
                </div>
                {canManage && !policy.system && (
                  <DeleteForm
                    action={deletePolicyAction}
                    field="policyId"
                    id={policy.id}
                    label={`Delete policy ${policy.name}`}
                    title={`Delete the policy “${policy.name}”?`}
                    description="A policy can only be deleted once no role includes it. This cannot be undone."
                    confirmLabel="Delete policy"
                    success={`Deleted the policy “${policy.name}”.`}
                    projectId={projectId}
                  />
                )}
              </div>
              {canManage && !policy.system && (
                <details className={styles.edit}>
                  <summary>Edit policy</summary>
                  <PolicyForm
                    idPrefix={`policy-${policy.id}`}
                    policy={{ id: policy.id, name: policy.name, description: policy.description, permissionIds: policy.permissions.map((p) => p.id) }}
                    groups={permissionGroups}
                    projectId={projectId}
                  />
                </details>
              )}
            </li>
          ))}
        </ul>
        {custom.length === 0 && (
          <p className="muted">
            {canManage
              ? "No custom policies yet. Create one below to grant a precise set of permissions, then add it to a custom role."
              : "No custom policies yet."}
          </p>
        )}
      </div>
      {canManage && (
        <div className="card" aria-labelledby="create-policy-heading">
          <h3 id="create-policy-heading" className={styles.subheading}>Create a policy</h3>
          <PolicyForm idPrefix="new-policy" groups={permissionGroups} projectId={projectId} />
        </div>
      )}
    </section>
  );
}
