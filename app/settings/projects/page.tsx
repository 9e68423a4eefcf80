import type { Metadata } from "next";
import Link from "next/link";
import { Time } from "@/app/_components/time";
import { FlashProvider } from "@/app/settings/_components/flash";
import { requireSettingsContext } from "@/app/settings/_lib/context";
import type { ServiceContext } from "@/lib/services/context";
import { searchMembers } from "@/lib/services/member-search";
import { listProjects } from "@/lib/services/projects/projects";
import type { ProjectDto } from "@/lib/validation/projects";
import { CreateProjectForm, DeleteProjectForm, type OwnerChoice } from "./project-forms";
import styles from "./projects.module.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Projects" };

const PATH = "/settings/projects";
/** Beyond this many members a picker is unwieldy; the Owner's address is typed instead. */
const MAX_OWNER_CHOICES = 200;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

async function ownerChoices(ctx: ServiceContext, canList: boolean): Promise<OwnerChoice[] | null> {
  if (!canList) return null;
  const { members, total } = await searchMembers(ctx, { page: 1, pageSize: MAX_OWNER_CHOICES });
  if (total > MAX_OWNER_CHOICES) return null;
  return members.map((m) => ({ email: m.email, label: m.name ? `${m.name} (${m.email})` : m.email }));
}

export default async function ProjectsPage({ searchParams }: { searchParams: SearchParams }) {
  const { org, ctx, permissions } = await requireSettingsContext(PATH);
  const canCreate = permissions.has("project:create");
  // Org project:manage holders administer (and may delete) every project; others delete theirs on its own page.
  const administersAll = permissions.has("project:manage");
  const [projects, owners, params] = await Promise.all([
    listProjects(ctx),
    canCreate ? ownerChoices(ctx, permissions.has("user:read")) : null,
    searchParams,
  ]);

  return (
    <FlashProvider>
      <div className="stack">
        <header>
          <h1>Projects</h1>
          <p className="muted">
            Projects hold the work of {org.name}: each has its own members, API keys, roles and invitations, and may be
            enrolled in a <Link href="/settings/governance">governance policy</Link>.{" "}
            {administersAll
              ? "As an organization Owner or Admin you see and manage all of them."
              : "You see the projects you are a member of."}
          </p>
        </header>
        {params.deleted === "1" && (
          <p role="status" className="toast">
            The project was deleted, with its API keys, memberships, open invitations, roles and policies.
          </p>
        )}
        {canCreate ? (
          <section className="card" aria-labelledby="create-project-heading">
            <h2 id="create-project-heading">Create a project</h2>
            <CreateProjectForm owners={owners} />
          </section>
        ) : (
          <p className="alert alert-info">Your role cannot create projects. An Owner or Admin can create one and invite you to it.</p>
        )}
        <section className="card" aria-labelledby="projects-heading">
          <h2 id="projects-heading">
            {administersAll ? "All projects" : "Your projects"} <span className="muted">({projects.length})</span>
          </h2>
          {projects.length === 0 ? (
            <div className="empty">
              <p>
                <strong>No projects yet.</strong>
              </p>
              <p>
                {canCreate
                  ? "Create one above: it comes with a default API key, and you can invite people to it straight away."
                  : "When someone invites you to a project, it shows here."}
              </p>
            </div>
          ) : (
            <ProjectTable projects={projects} canDelete={administersAll} />
          )}
        </section>
      </div>
    </FlashProvider>
  );
}

function ProjectTable({ projects, canDelete }: { projects: ProjectDto[]; canDelete: boolean }) {
  const now = new Date().toISOString();
  return (
    <div className="table-scroll" role="region" aria-label="Projects table" tabIndex={0}>
      <table className="table">
        <caption className="sr-only">Projects, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Project</th>
            <th scope="col">Description</th>
            <th scope="col">Governance policy</th>
            <th scope="col">Created</th>
            {canDelete && (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {projects.map((project) => (
            <tr key={project.id}>
              <td>
                <Link href={`${PATH}/${project.id}`}>
                  <strong>{project.name}</strong>
                </Link>
              </td>
              <td className={styles.description}>{project.description ?? <span className="muted">—</span>}</td>
              <td>
                {project.governancePolicy ? (
                  <span className="badge badge-blue">{project.governancePolicy.name}</span>
                ) : (
                  <span className="muted">None</span>
                )}
              </td>
              <td className={styles.nowrap}>
                <Time iso={project.created_at} now={now} />
              </td>
              {canDelete && (
                <td>
                  <div className={styles.actions}>
                    <DeleteProjectForm project={project} />
                  </div>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
