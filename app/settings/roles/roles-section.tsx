// The roles half of the page: the read-only system roles with what they grant, then the
// organization's (or the project's, with `projectId`) custom roles with inline edit and delete
// for those who may manage them.
import { deleteRoleAction } from "@/lib/actions/roles";
import type { ProjectRoleDto } from "@/lib/validation/project-iam";
import type { RoleDto } from "@/lib/validation/roles";
import type { PermissionItem } from "./permission-groups";
import { PermissionSummary } from "./permission-summary";
import { DeleteForm, RoleForm, type PolicyChoice } from "./role-forms";
import styles from "./roles.module.css";

type AnyRole = RoleDto | ProjectRoleDto;

/** System roles have no owner: neither an organization nor a project. */
const isSystem = (role: AnyRole) => ("projectId" in role ? role.projectId : role.organizationId) === null;

/** The union of a role's policies' permissions, each once. */
function grantsOf(role: AnyRole, permissionsOfPolicy: Map<string, PermissionItem[]>): PermissionItem[] {
  const byId = new Map<string, PermissionItem>();
  for (const policy of role.policies) for (const p of permissionsOfPolicy.get(policy.id) ?? []) byId.set(p.id, p);
  return [...byId.values()];
}

function RoleSummary({ role, grants, total }: { role: AnyRole; grants: PermissionItem[]; total: number }) {
  return (
    <div>
      <h3>
        {role.name}
        {isSystem(role) && <span className="badge badge-blue">System</span>}
      </h3>
      {role.description && <p className="muted">{role.description}</p>}
      <div className={styles.chips} aria-label="Policies">
        {role.policies.length === 0 ? (
          <span className="muted">No policies</span>
        ) : (
          role.policies.map((p) => (
            <span key={p.id} className="badge">
              {p.name}
            </span>
          ))
        )}
      </div>
      <PermissionSummary permissions={grants} total={total} />
    </div>
  );
}

export function RolesSection({
  roles,
  permissionsOfPolicy,
  totalPermissions,
  policyChoices,
  canManage,
  projectId,
}: {
  roles: AnyRole[];
  permissionsOfPolicy: Map<string, PermissionItem[]>;
  totalPermissions: number;
  policyChoices: PolicyChoice[];
  canManage: boolean;
  projectId?: string;
}) {
  const system = roles.filter(isSystem);
  const custom = roles.filter((r) => !isSystem(r));
  return (
    <section id="roles" className="stack" aria-labelledby="roles-heading">
      <h2 id="roles-heading">Roles</h2>

      <div className="card" aria-label="System roles">
        <ul className={styles.list}>
          {system.map((role) => (
            <li key={role.id} className={styles.item}>
              <RoleSummary role={role} grants={grantsOf(role, permissionsOfPolicy)} total={totalPermissions} />
            </li>
          ))}
        </ul>
      </div>

      <div className="card" aria-labelledby="custom-roles-heading">
        <h3 id="custom-roles-heading" className={styles.subheading}>Custom roles</h3>
        {custom.length === 0 ? (
          <div className="empty">
            <p>
              <strong>No custom roles yet.</strong>
            </p>
            <p>
              {canManage
                ? "Create one below when the system roles give too much or too little — for example a read-only role that can also manage API keys."
                : projectId
                  ? "A project Owner or Manager can create roles tailored to this project."
                  : "An Owner or Admin can create roles tailored to your team."}
            </p>
          </div>
        ) : (
          <ul className={styles.list}>
            {custom.map((role) => (
              <li key={role.id} className={styles.item}>
                <div className={styles.itemHead}>
                  <RoleSummary role={role} grants={grantsOf(role, permissionsOfPolicy)} total={totalPermissions} />
                  {canManage && (
                    <DeleteForm
                      action={deleteRoleAction}
                      field="roleId"
                      id={role.id}
                      label={`Delete role ${role.name}`}
                      title={`Delete the role “${role.name}”?`}
                      description={`A role can only be deleted once no member holds it and no ${projectId ? "open" : "pending"} invitation offers it. This cannot be undone.`}
                      confirmLabel="Delete role"
                      success={`Deleted the role “${role.name}”.`}
                      projectId={projectId}
                    />
                  )}
                </div>
                {canManage && (
                  <details className={styles.edit}>
                    <summary>Edit role</summary>
                    <RoleForm
                      idPrefix={`role-${role.id}`}
                      role={{ id: role.id, name: role.name, description: role.description, policyIds: role.policies.map((p) => p.id) }}
                      policies={policyChoices}
                      projectId={projectId}
                    />
                  </details>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>

      {canManage && (
        <div className="card" aria-labelledby="create-role-heading">
          <h3 id="create-role-heading" className={styles.subheading}>Create a role</h3>
          <RoleForm idPrefix="new-role" policies={policyChoices} projectId={projectId} />
        </div>
      )}
    </section>
  );
}
