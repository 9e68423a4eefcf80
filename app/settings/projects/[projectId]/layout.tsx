// The frame of every page of one project: which project, back to the list, and its sections
// (only those the user's project role lets them read).
import Link from "next/link";
import type { ReactNode } from "react";
import { NavLinks, type NavLink } from "@/app/settings/_nav";
import { projectPage, type ProjectSection } from "@/lib/actions/scope";
import { requireProjectContext } from "../_lib/project-context";
import styles from "../projects.module.css";

const SECTIONS: { section: ProjectSection; label: string; needs: string }[] = [
  { section: "members", label: "Members", needs: "user:read" },
  { section: "invitations", label: "Invitations", needs: "user:read" },
  { section: "api-keys", label: "API keys", needs: "apiKey:read" },
  { section: "roles", label: "Roles & policies", needs: "iam:read" },
];

export default async function ProjectLayout({ children, params }: { children: ReactNode; params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { project, projectAuthority } = await requireProjectContext(projectId);
  const root = projectPage(project.id);
  const links: NavLink[] = [
    { href: root, label: "Settings" },
    ...SECTIONS.filter((s) => projectAuthority.permissions.has(s.needs)).map((s) => ({ href: projectPage(project.id, s.section), label: s.label })),
  ];
  return (
    <div className="stack">
      <header>
        <p className={styles.breadcrumb}>
          <Link href="/settings/projects">← All projects</Link>
        </p>
        <h1 className={styles.title}>{project.name}</h1>
        {project.description && <p className={`muted ${styles.title}`}>{project.description}</p>}
        <NavLinks links={links} root={root} label="Project sections" className={styles.tabs} />
      </header>
      {children}
    </div>
  );
}
