"use client";
// Create / edit a custom policy, of the organization or of one project (`projectId`): a name, a
// description and permissions picked from the scope's fixed catalogue, grouped by the resource
// they protect.
import { ActionForm, FieldError } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { ProjectField } from "@/app/settings/_components/project-field";
import { createPolicyAction, updatePolicyAction } from "@/lib/actions/roles";
import type { PermissionGroup, PermissionItem } from "./permission-groups";
import { NameFields } from "./role-forms";
import styles from "./roles.module.css";

export type PermissionChoice = PermissionItem & { held: boolean };

export interface EditablePolicy {
  id: string;
  name: string;
  description: string | null;
  permissionIds: string[];
}

export function PolicyForm({
  policy,
  groups,
  idPrefix,
  projectId,
}: {
  policy?: EditablePolicy;
  groups: PermissionGroup<PermissionChoice>[];
  idPrefix: string;
  projectId?: string;
}) {
  const selected = new Set(policy?.permissionIds ?? []);
  return (
    <ActionForm
      action={policy ? updatePolicyAction : createPolicyAction}
      resetOnSuccess={!policy}
      success={(saved) => (policy ? `Saved “${saved.name}”.` : `Created the policy “${saved.name}”.`)}
      aria-label={policy ? `Edit policy ${policy.name}` : "Create a policy"}
    >
      {policy && <input type="hidden" name="policyId" value={policy.id} />}
      <ProjectField projectId={projectId} />
      <NameFields idPrefix={idPrefix} name={policy?.name} description={policy?.description} kind="policy" />
      <p className="label" id={`${idPrefix}-permissions-label`}>
        Permissions
      </p>
      <div className={styles.checkGrid} role="group" aria-labelledby={`${idPrefix}-permissions-label`} aria-describedby={`${idPrefix}-permissions-error`}>
        {groups.map((group) => (
          <fieldset key={group.resource} className={styles.checks}>
            <legend>{group.label}</legend>
            {group.permissions.map((p) => (
              <label key={p.id} className={styles.check}>
                <input type="checkbox" name="permissionIds" value={p.id} defaultChecked={selected.has(p.id)} />
                <span>
                  <code>{p.name}</code>
                  <span className="hint">
                    {p.description}
                    {!p.held && <span className={styles.warn}> · you do not hold this</span>}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
        ))}
      </div>
      <FieldError name="permissionIds" id={`${idPrefix}-permissions-error`} />
      <SubmitButton pendingLabel={policy ? "Saving…" : "Creating…"}>{policy ? "Save policy" : "Create policy"}</SubmitButton>
    </ActionForm>
  );
}
