"use client";
// Which projects a governance policy covers: assign several at once from a picker (a project on
// another policy moves here), take one off, or delete the policy (its projects stay, unenrolled).
import { ActionForm, FieldError } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { RowRemovalForm } from "@/app/settings/_components/flash";
import { assignProjectsAction, deleteGovernancePolicyAction, unassignProjectsAction, type AssignResult } from "@/lib/actions/governance";
import styles from "./governance.module.css";

export interface ProjectChoice {
  id: string;
  name: string;
  /** The policy it is on now, if any (never this one). */
  currentPolicy: string | null;
}

const projects = (n: number) => `${n} ${n === 1 ? "project" : "projects"}`;

function assigned(result: AssignResult) {
  const missing = result.notFoundProjectIds.length;
  return `Assigned ${projects(result.count)} to “${result.governancePolicy.name}”.${
    missing ? ` ${projects(missing)} no longer existed and ${missing === 1 ? "was" : "were"} skipped.` : ""
  }`;
}

export function AssignProjectsForm({ policyId, policyName, choices }: { policyId: string; policyName: string; choices: ProjectChoice[] }) {
  // The form stays mounted when the last choice is assigned, so its message stays on screen.
  return (
    <ActionForm action={assignProjectsAction} resetOnSuccess success={assigned} aria-label={`Assign projects to ${policyName}`}>
      <input type="hidden" name="policyId" value={policyId} />
      {choices.length === 0 ? (
        <p className="hint">Every project you can see is on this policy. New projects are created on the Projects page.</p>
      ) : (
        <>
          <fieldset className={styles.picker} aria-describedby={`assign-${policyId}-hint assign-${policyId}-error`}>
            <legend>Projects to assign</legend>
            <span id={`assign-${policyId}-hint`} className="hint">
              A project is on one policy at most: one on another policy moves to this one.
            </span>
            {choices.map((project) => (
              <label key={project.id} className="checkbox">
                <input type="checkbox" name="projectIds" value={project.id} />
                <span>
                  {project.name}
                  <span className="hint">{project.currentPolicy ? `Now on “${project.currentPolicy}”: moves here` : "Not enrolled"}</span>
                </span>
              </label>
            ))}
            <FieldError name="projectIds" id={`assign-${policyId}-error`} />
          </fieldset>
          <SubmitButton pendingLabel="Assigning…">Assign selected projects</SubmitButton>
        </>
      )}
    </ActionForm>
  );
}

export function UnassignProjectForm({ policyId, policyName, project }: { policyId: string; policyName: string; project: { id: string; name: string } }) {
  return (
    <RowRemovalForm
      action={unassignProjectsAction}
      name="projectIds"
      value={project.id}
      hidden={{ policyId }}
      success={`${project.name} is no longer on “${policyName}”.`}
      label={`Take ${project.name} off ${policyName}`}
      title={`Take ${project.name} off “${policyName}”?`}
      description={`${project.name} is no longer held to the controls of ${policyName}. You can assign it again at any time.`}
      confirmLabel="Unassign project"
    >
      Unassign
    </RowRemovalForm>
  );
}

export function DeletePolicyForm({ policy }: { policy: { id: string; name: string; projectsCount: number } }) {
  return (
    <RowRemovalForm
      action={deleteGovernancePolicyAction}
      name="policyId"
      value={policy.id}
      success={`The governance policy “${policy.name}” was deleted.`}
      label={`Delete governance policy ${policy.name}`}
      title={`Delete the governance policy “${policy.name}”?`}
      description={
        policy.projectsCount > 0
          ? `Its ${projects(policy.projectsCount)} stay, but are no longer enrolled in any policy. The policy and its controls are gone for good.`
          : "No project is on it. The policy and its controls are gone for good."
      }
      confirmLabel="Delete policy"
    >
      Delete policy
    </RowRemovalForm>
  );
}
