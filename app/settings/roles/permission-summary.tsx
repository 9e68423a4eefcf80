// A read-only view of a set of permissions, collapsed behind a count so long lists stay tidy.
import { actionOf, groupPermissions, type PermissionItem } from "./permission-groups";
import styles from "./roles.module.css";

export function PermissionSummary({ permissions, total }: { permissions: PermissionItem[]; total: number }) {
  // Worth noticing: a role (or a policy) that grants nothing is usually unfinished.
  if (permissions.length === 0) {
    return (
      <span className="badge badge-amber" title="Whoever holds this can view and change nothing until it gets permissions.">
        No permissions
      </span>
    );
  }
  const count =
    permissions.length === total ? `All ${total} permissions` : `${permissions.length} ${permissions.length === 1 ? "permission" : "permissions"}`;
  return (
    <details className={styles.summary}>
      <summary>{count}</summary>
      <dl className={styles.grants}>
        {groupPermissions(permissions).map((group) => (
          <div key={group.resource}>
            <dt>{group.label}</dt>
            <dd>
              {group.permissions.map((p) => (
                <code key={p.id} title={p.description ?? undefined} className={styles.chip}>
                  {actionOf(p.name)}
                </code>
              ))}
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
