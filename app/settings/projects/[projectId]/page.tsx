import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { ProjectField } from "@/app/settings/_components/project-field";
import { NameFields } from "@/app/settings/roles/role-forms";
import { updateProjectAction } from "@/lib/actions/projects";
import { formatLongDate } from "@/lib/format";
import { projectRoles, requireProjectContext } from "../_lib/project-context";
import { DeleteProjectForm } from "../project-forms";
import styles from "../projects.module.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Project settings" };

type Props = { params: Promise<{ projectId: string }>; searchParams: Promise<{ joined?: string }> };

export default async function ProjectSettingsPage({ params, searchParams }: Props) {
  const { projectId } = await params;
  const { ctx, org, project, projectAuthority, permissions } = await requireProjectContext(projectId);
  const held = projectAuthority.permissions;
  // Accepting a project invitation lands here (lib/actions/invite.ts).
  const joined = (await searchParams).joined === "1";
  const roleName = joined ? (await projectRoles(ctx, project.id)).all.find((r) => r.id === projectAuthority.roleId)?.name : undefined;

  return (
    <>
      {joined && (
        <p role="status" className="toast" data-testid="joined">
          You joined {project.name} in {org.name}
          {roleName ? ` as ${roleName}` : ""}. The tabs above show what your project role lets you see and do.
        </p>
      )}
      <section className="card" aria-labelledby="project-details-heading">
        <h2 id="project-details-heading">Name and description</h2>
        {held.has("project:manage") ? (
          <ActionForm action={updateProjectAction} success="Project saved." aria-label="Rename the project">
            <ProjectField projectId={project.id} />
            <NameFields idPrefix="project" name={project.name} description={project.description} kind="project" />
            <SubmitButton pendingLabel="Saving…">Save</SubmitButton>
          </ActionForm>
        ) : (
          <p className="hint">Your project role cannot rename the project; its Owner or a Manager can.</p>
        )}
      </section>

      <section className="card" aria-labelledby="project-facts-heading">
        <h2 id="project-facts-heading">About this project</h2>
        <dl className={styles.facts}>
          <dt>Project ID</dt>
          <dd>
            <code>{project.id}</code>
          </dd>
          <dt>Created</dt>
          <dd>{formatLongDate(project.created_at)}</dd>
          <dt>Governance policy</dt>
          <dd>
            {project.governancePolicy ? <span className="badge badge-blue">{project.governancePolicy.name}</span> : "Not enrolled"}
            {permissions.has("project:read") && (
              <span className="hint">
                Policies and their projects are managed on the <Link href="/settings/governance">Governance</Link> page.
              </span>
            )}
          </dd>
        </dl>
      </section>

      {held.has("project:delete") && (
        <section className={`card ${styles.danger}`} aria-labelledby="delete-project-heading">
          <h2 id="delete-project-heading">Delete this project</h2>
          <p className="muted">
            Its API keys, memberships, open invitations, custom roles and policies and its governance enrollment go with
            it. The audit log keeps its events.
          </p>
          <DeleteProjectForm project={project} then="list" />
        </section>
      )}
    </>
  );
}
