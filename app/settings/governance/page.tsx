import type { Metadata } from "next";
import Link from "next/link";
import { FlashProvider } from "@/app/settings/_components/flash";
import { requireSettingsContext } from "@/app/settings/_lib/context";
import type { ServiceContext } from "@/lib/services/context";
import { listGovernancePolicies, listGovernancePolicyProjects } from "@/lib/services/governance";
import { listProjects } from "@/lib/services/projects/projects";
import type { GovernancePolicyDto } from "@/lib/validation/governance";
import { CONTROL_TYPES } from "./control-types";
import { AssignProjectsForm, DeletePolicyForm, UnassignProjectForm, type ProjectChoice } from "./enrollment-forms";
import styles from "./governance.module.css";
import { GovernancePolicyForm } from "./policy-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Governance" };

const PATH = "/settings/governance";
/** Listed per policy; beyond this the count says how many more there are. */
const PROJECTS_SHOWN = 100;

export default async function GovernancePage() {
  const { ctx, permissions } = await requireSettingsContext(PATH);
  return (
    <div className="stack">
      <header>
        <h1>Governance</h1>
        <p className="muted">
          Governance policies group the controls your AI projects are held to — runtime guardrails, pre-deployment evals
          and red teaming, operational checks — and say which projects they cover. A project is on one policy at most;
          the <Link href="/settings/projects">Projects</Link> page shows each project&apos;s.
        </p>
      </header>
      {permissions.has("project:read") ? (
        <Policies ctx={ctx} canManage={permissions.has("project:manage")} />
      ) : (
        <p className="alert alert-info">Your role does not allow viewing governance policies. Ask an Owner or Admin for access.</p>
      )}
    </div>
  );
}

async function Policies({ ctx, canManage }: { ctx: ServiceContext; canManage: boolean }) {
  const [policies, projects] = await Promise.all([listGovernancePolicies(ctx), canManage ? listProjects(ctx) : []]);
  const enrolled = await Promise.all(
    policies.map((policy) => listGovernancePolicyProjects(ctx, policy.id, { page: 1, pageSize: PROJECTS_SHOWN })),
  );
  return (
    <FlashProvider>
      <div className="stack">
        {policies.length === 0 ? (
          <section className="card empty" aria-label="Governance policies">
            <p>
              <strong>No governance policies yet.</strong>
            </p>
            <p>
              {canManage
                ? "Create one below with its controls, then assign projects to it."
                : "An Owner or Admin can create policies and assign projects to them."}
            </p>
          </section>
        ) : (
          policies.map((policy, i) => (
            <PolicyCard
              key={policy.id}
              policy={policy}
              enrolled={enrolled[i]!}
              canManage={canManage}
              choices={projects
                .filter((p) => p.governancePolicy?.id !== policy.id)
                .map((p) => ({ id: p.id, name: p.name, currentPolicy: p.governancePolicy?.name ?? null }))}
            />
          ))
        )}
        {canManage && (
          <section className="card" aria-labelledby="create-policy-heading">
            <h2 id="create-policy-heading">Create a governance policy</h2>
            <GovernancePolicyForm idPrefix="new-governance-policy" />
          </section>
        )}
      </div>
    </FlashProvider>
  );
}

function PolicyCard({
  policy,
  enrolled,
  canManage,
  choices,
}: {
  policy: GovernancePolicyDto;
  enrolled: { projects: { id: string; name: string }[]; total: number };
  canManage: boolean;
  choices: ProjectChoice[];
}) {
  const headingId = `policy-${policy.id}-heading`;
  return (
    <section className="card stack" id={`policy-${policy.id}`} aria-labelledby={headingId}>
      <div className={styles.head}>
        <div>
          <h2 id={headingId}>{policy.name}</h2>
          {policy.description && <p className="muted">{policy.description}</p>}
        </div>
        {canManage && <DeletePolicyForm policy={policy} />}
      </div>
      <div>
        <h3 className={styles.subheading}>Controls ({policy.controls.length})</h3>
        {policy.controls.length === 0 ? (
          <p className="muted">No controls yet{canManage ? ": add some with Edit policy below." : "."}</p>
        ) : (
          <ul className={styles.list} aria-label={`Controls of ${policy.name}`}>
            {policy.controls.map((control) => (
              <li key={control.id}>
                <span>{control.name}</span>
                <span className="badge" title={CONTROL_TYPES[control.type].hint}>
                  {CONTROL_TYPES[control.type].label}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div>
        <h3 className={styles.subheading}>Projects ({enrolled.total})</h3>
        {enrolled.total === 0 ? (
          <p className="muted">No project is on this policy{canManage ? " yet: assign some below." : "."}</p>
        ) : (
          <ul className={styles.list} aria-label={`Projects on ${policy.name}`}>
            {enrolled.projects.map((project) => (
              <li key={project.id}>
                <span>{canManage ? <Link href={`/settings/projects/${project.id}`}>{project.name}</Link> : project.name}</span>
                {canManage && <UnassignProjectForm policyId={policy.id} policyName={policy.name} project={project} />}
              </li>
            ))}
          </ul>
        )}
        {enrolled.total > enrolled.projects.length && (
          <p className="hint">and {enrolled.total - enrolled.projects.length} more, listed on the Projects page.</p>
        )}
      </div>
      {canManage && (
        <>
          <details className={styles.edit}>
            <summary>Assign projects</summary>
            <AssignProjectsForm policyId={policy.id} policyName={policy.name} choices={choices} />
          </details>
          <details className={styles.edit}>
            <summary>Edit policy</summary>
            <GovernancePolicyForm policy={policy} idPrefix={`governance-${policy.id}`} />
          </details>
        </>
      )}
    </section>
  );
}
