"use client";
// Create / edit a governance policy: a name, a description and its controls, each a name and a
// type, added and removed row by row. Editing replaces the whole list of controls.
import { useState } from "react";
import { ActionForm, FieldError } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { NameFields } from "@/app/settings/roles/role-forms";
import { createGovernancePolicyAction, updateGovernancePolicyAction } from "@/lib/actions/governance";
import type { ActionResult } from "@/lib/actions/run";
import type { GovernancePolicyDto } from "@/lib/validation/governance";
import { CONTROL_TYPE_IDS, CONTROL_TYPES, type ControlType } from "./control-types";
import styles from "./governance.module.css";

interface ControlRow {
  key: number;
  name: string;
  type: ControlType;
}

/** Rows are keyed (and their fields named) by a number that is never reused within the form. */
const blankAfter = (rows: ControlRow[]): ControlRow => ({ key: Math.max(-1, ...rows.map((r) => r.key)) + 1, name: "", type: "RUNTIME" });

export function GovernancePolicyForm({ policy, idPrefix }: { policy?: GovernancePolicyDto; idPrefix: string }) {
  const [rows, setRows] = useState<ControlRow[]>(() =>
    policy?.controls.length ? policy.controls.map((c, key) => ({ key, name: c.name, type: c.type })) : [blankAfter([])],
  );

  async function save(prev: ActionResult<GovernancePolicyDto> | null, form: FormData) {
    const result = await (policy ? updateGovernancePolicyAction : createGovernancePolicyAction)(prev, form);
    // A created policy leaves an empty form behind, with one blank control row.
    if (result.ok && !policy) setRows((current) => [blankAfter(current)]);
    return result;
  }

  return (
    <ActionForm
      action={save}
      resetOnSuccess={!policy}
      success={(saved) => (policy ? `Saved “${saved.name}”.` : `Created the governance policy “${saved.name}”.`)}
      aria-label={policy ? `Edit governance policy ${policy.name}` : "Create a governance policy"}
    >
      {policy && <input type="hidden" name="policyId" value={policy.id} />}
      <NameFields idPrefix={idPrefix} name={policy?.name} description={policy?.description} kind="policy" />
      <fieldset className={styles.controls} aria-describedby={`${idPrefix}-controls-hint ${idPrefix}-controls-error`}>
        <legend>Controls</legend>
        <span id={`${idPrefix}-controls-hint`} className="hint">
          What a project on this policy is held to. Rows left without a name are ignored.
        </span>
        {rows.map((control, index) => {
          const id = `${idPrefix}-control-${control.key}`;
          return (
            <div key={control.key} className={styles.controlRow}>
              <div>
                <label htmlFor={`${id}-name`}>Control {index + 1}</label>
                <input id={`${id}-name`} name="controlName" type="text" maxLength={100} defaultValue={control.name} autoComplete="off" placeholder="e.g. Toxicity guardrail" />
              </div>
              <div>
                <label htmlFor={`${id}-type`}>Type</label>
                <select id={`${id}-type`} name="controlType" defaultValue={control.type}>
                  {CONTROL_TYPE_IDS.map((type) => (
                    <option key={type} value={type}>
                      {CONTROL_TYPES[type].label}
                    </option>
                  ))}
                </select>
              </div>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => setRows((current) => current.filter((r) => r.key !== control.key))}
                aria-label={`Remove control ${index + 1}`}
              >
                Remove
              </button>
            </div>
          );
        })}
        {rows.length === 0 && <p className="hint">No controls: the policy only groups its projects.</p>}
        <button type="button" className="button button-secondary" onClick={() => setRows((current) => [...current, blankAfter(current)])}>
          Add a control
        </button>
        <FieldError name="controls" id={`${idPrefix}-controls-error`} />
      </fieldset>
      <SubmitButton pendingLabel={policy ? "Saving…" : "Creating…"}>{policy ? "Save policy" : "Create policy"}</SubmitButton>
    </ActionForm>
  );
}
