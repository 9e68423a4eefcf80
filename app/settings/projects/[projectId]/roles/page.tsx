import type { Metadata } from "next";
import { IamContent } from "@/app/settings/roles/iam-content";
import { JumpLinks } from "@/app/settings/roles/jump-links";
import { requireProjectContext } from "../../_lib/project-context";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Project roles & policies" };

export default async function ProjectRolesPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { ctx, project, projectAuthority } = await requireProjectContext(projectId);
  const held = projectAuthority.permissions;
  return (
    <>
      <div>
        <p className="muted">
          A member&apos;s project role decides what they can do in {project.name}. Project roles are built from project
          policies over the project permissions. The system roles Owner, Manager and Member cannot be changed; create
          your own for anything in between.
        </p>
        <JumpLinks />
      </div>
      {held.has("iam:read") ? (
        <IamContent ctx={ctx} held={held} projectId={project.id} />
      ) : (
        <p className="alert alert-info">Your project role does not allow viewing its roles and policies.</p>
      )}
    </>
  );
}
