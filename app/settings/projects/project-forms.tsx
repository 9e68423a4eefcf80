"use client";
// The interactive parts of the projects pages: creating a project (and revealing its default
// API key once) and deleting one after saying exactly what goes with it.
import Link from "next/link";
import { ActionForm, FieldError } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { NewKey } from "@/app/settings/api-keys/api-key-forms";
import { RowRemovalForm } from "@/app/settings/_components/flash";
import { NameFields } from "@/app/settings/roles/role-forms";
import { createProjectAction, deleteProjectAction, type CreatedProject } from "@/lib/actions/projects";
import styles from "./projects.module.css";

export interface OwnerChoice {
  email: string;
  label: string;
}

function Created({ project, apiKey }: CreatedProject) {
  return (
    <div className={styles.created}>
      <NewKey value={apiKey.value} label={`The default API key of ${project.name}`} />
      <p>
        <Link href={`/settings/projects/${project.id}`}>Open {project.name}</Link> to invite people, create more keys or
        define its roles.
      </p>
    </div>
  );
}

/**
 * `owners` lists the organization's members to pick the Owner from; null when this user cannot
 * list them (or there are too many for a picker), and the address is typed instead.
 */
export function CreateProjectForm({ owners }: { owners: OwnerChoice[] | null }) {
  return (
    <ActionForm
      action={createProjectAction}
      resetOnSuccess
      success={({ project }) => `Created the project “${project.name}” with its default API key.`}
      render={(created) => <Created {...created} />}
      aria-label="Create a project"
    >
      <NameFields idPrefix="new-project" kind="project" />
      <div className="field">
        <label htmlFor="project-owner">
          Owner <span className="muted">(optional)</span>
        </label>
        {owners ? (
          <select id="project-owner" name="email" defaultValue="" aria-describedby="project-owner-hint email-error">
            <option value="">Nobody yet</option>
            {owners.map((owner) => (
              <option key={owner.email} value={owner.email}>
                {owner.label}
              </option>
            ))}
          </select>
        ) : (
          <input id="project-owner" name="email" type="email" autoComplete="off" placeholder="member@example.com" aria-describedby="project-owner-hint email-error" />
        )}
        <span id="project-owner-hint" className="hint">
          A member of the organization who becomes the project&apos;s Owner. Without one, the project starts with no
          members: invite people to it afterwards. Organization Owners and Admins manage every project either way.
        </span>
        <FieldError name="email" />
      </div>
      <SubmitButton pendingLabel="Creating…">Create project</SubmitButton>
    </ActionForm>
  );
}

/** Everything that goes with a project, said before it goes (contract §6: audit events stay). */
function DeletionSummary({ name, governancePolicy }: { name: string; governancePolicy: string | null }) {
  return (
    <>
      <p>Deleting {name} removes at once, for good:</p>
      <ul>
        <li>its API keys: requests that use them fail from then on;</li>
        <li>its memberships: its members stay in the organization;</li>
        <li>its open invitations: their links stop working;</li>
        <li>its custom roles and policies;</li>
        <li>{governancePolicy ? `its enrollment in the governance policy “${governancePolicy}”.` : "its governance enrollment (it has none now)."}</li>
      </ul>
      <p>The audit log keeps its events. This cannot be undone.</p>
    </>
  );
}

export function DeleteProjectForm({
  project,
  then,
}: {
  project: { id: string; name: string; governancePolicy: { name: string } | null };
  /** "list": deleted from its own page, which then no longer exists; go to the projects list. */
  then?: "list";
}) {
  return (
    <RowRemovalForm
      action={deleteProjectAction}
      name="projectId"
      value={project.id}
      hidden={then ? { then } : undefined}
      success={`The project “${project.name}” was deleted.`}
      label={`Delete the project ${project.name}`}
      title={`Delete the project “${project.name}”?`}
      description={<DeletionSummary name={project.name} governancePolicy={project.governancePolicy?.name ?? null} />}
      confirmLabel="Delete project"
    >
      {then ? "Delete this project" : "Delete"}
    </RowRemovalForm>
  );
}
