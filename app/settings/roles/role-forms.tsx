"use client";
// Forms for custom roles (create / edit) and the confirm-first delete shared by roles and
// policies, of the organization or of one project (`projectId`). The services hold the rules;
// these only collect fields and show the outcome.
import type { ReactNode } from "react";
import { ActionForm, FieldError, useFieldErrors } from "@/app/_components/action-form";
import { ConfirmSubmit } from "@/app/_components/confirm-submit";
import { SubmitButton } from "@/app/_components/submit-button";
import { ProjectField } from "@/app/settings/_components/project-field";
import { createRoleAction, updateRoleAction } from "@/lib/actions/roles";
import type { ActionResult } from "@/lib/actions/run";
import styles from "./roles.module.css";

export interface PolicyChoice {
  id: string;
  name: string;
  description: string | null;
  system: boolean;
  permissionCount: number;
  /** False when the policy holds permissions the current user lacks (the service would refuse). */
  grantable: boolean;
}

export interface EditableRole {
  id: string;
  name: string;
  description: string | null;
  policyIds: string[];
}

/** Name and description fields, shared with the policy form. */
export function NameFields({ idPrefix, name, description, kind }: { idPrefix: string; name?: string; description?: string | null; kind: string }) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-name`}>Name</label>
        <input id={`${idPrefix}-name`} name="name" type="text" maxLength={100} required defaultValue={name} autoComplete="off" aria-describedby={`${idPrefix}-name-error`} />
        <FieldError name="name" id={`${idPrefix}-name-error`} />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-description`}>
          Description <span className="muted">(optional)</span>
        </label>
        <textarea
          id={`${idPrefix}-description`}
          name="description"
          maxLength={500}
          rows={2}
          defaultValue={description ?? ""}
          placeholder={`What this ${kind} is for`}
          aria-describedby={`${idPrefix}-description-error`}
        />
        <FieldError name="description" id={`${idPrefix}-description-error`} />
      </div>
    </>
  );
}

export function RoleForm({
  role,
  policies,
  idPrefix,
  projectId,
}: {
  role?: EditableRole;
  policies: PolicyChoice[];
  idPrefix: string;
  projectId?: string;
}) {
  const selected = new Set(role?.policyIds ?? []);
  return (
    <ActionForm
      action={role ? updateRoleAction : createRoleAction}
      resetOnSuccess={!role}
      success={(saved) => (role ? `Saved “${saved.name}”.` : `Created the role “${saved.name}”.`)}
      aria-label={role ? `Edit role ${role.name}` : "Create a role"}
    >
      {role && <input type="hidden" name="roleId" value={role.id} />}
      <ProjectField projectId={projectId} />
      <NameFields idPrefix={idPrefix} name={role?.name} description={role?.description} kind="role" />
      <fieldset className={styles.checks} aria-describedby={`${idPrefix}-policies-hint ${idPrefix}-policies-error`}>
        <legend>Policies</legend>
        <span id={`${idPrefix}-policies-hint`} className={`hint ${styles.legendHint}`}>
          A role grants every permission of the policies it includes.
        </span>
        <div className={styles.checkGrid}>
          {policies.map((p) => (
            <label key={p.id} className={styles.check}>
              <input type="checkbox" name="policyIds" value={p.id} defaultChecked={selected.has(p.id)} />
              <span>
                {p.name} {p.system && <span className="badge">System</span>}
                <span className="hint">
                  {p.description ?? `${p.permissionCount} permissions`}
                  {!p.grantable && <span className={styles.warn}> · includes permissions you do not hold</span>}
                </span>
              </span>
            </label>
          ))}
        </div>
        <FieldError name="policyIds" id={`${idPrefix}-policies-error`} />
        <ConfirmNoPolicies idPrefix={idPrefix} />
      </fieldset>
      <SubmitButton pendingLabel={role ? "Saving…" : "Creating…"}>{role ? "Save role" : "Create role"}</SubmitButton>
    </ActionForm>
  );
}

/**
 * Saving a role with no policy ticked is answered with a warning (lib/actions/roles.ts) and
 * this checkbox, which confirms it on the next save.
 */
function ConfirmNoPolicies({ idPrefix }: { idPrefix: string }) {
  const asked = useFieldErrors("confirmNoPolicies");
  const id = `${idPrefix}-confirm-empty`;
  // The FieldError stays mounted, so the warning is never also put in the form's alert.
  return (
    <div className={asked?.length ? styles.confirmEmpty : undefined}>
      <FieldError name="confirmNoPolicies" id={`${id}-error`} />
      {asked?.length ? (
        <label className={styles.check}>
          <input type="checkbox" name="confirmNoPolicies" value="yes" aria-describedby={`${id}-error`} />
          <span>Save this role without permissions</span>
        </label>
      ) : null}
    </div>
  );
}

type DeleteAction = (prev: ActionResult<{ id: string; deleted: true }> | null, form: FormData) => Promise<ActionResult<{ id: string; deleted: true }>>;

/** Deletes one role or policy after a confirmation; a refusal (e.g. still assigned) shows below the button. */
export function DeleteForm({
  action,
  field,
  id,
  label,
  title,
  description,
  confirmLabel,
  success,
  projectId,
}: {
  action: DeleteAction;
  field: "roleId" | "policyId";
  id: string;
  label: string;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  success: string;
  projectId?: string;
}) {
  return (
    <ActionForm action={action} success={success} className={styles.deleteForm} aria-label={label}>
      <input type="hidden" name={field} value={id} />
      <ProjectField projectId={projectId} />
      <ConfirmSubmit title={title} description={description} confirmLabel={confirmLabel}>
        Delete
      </ConfirmSubmit>
    </ActionForm>
  );
}
