import type { Metadata } from "next";
import { KeysContent } from "@/app/settings/api-keys/keys-content";
import { listApiKeys, projectKeys } from "@/lib/services/api-keys";
import { requireProjectContext } from "../../_lib/project-context";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Project API keys" };

export default async function ProjectApiKeysPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { ctx, project, projectAuthority } = await requireProjectContext(projectId);
  const held = projectAuthority.permissions;
  return (
    <>
      <p className="muted">
        Project API keys (<code>confident_proj_…</code>) authenticate the work of {project.name}, sent in the{" "}
        <code>CONFIDENT_API_KEY</code> header. They cannot manage the organization or its projects: that takes an
        organization key. A key acts as the person who created it, never with more than they hold.
      </p>
      {held.has("apiKey:read") ? (
        <KeysContent
          keys={await listApiKeys(ctx, projectKeys(project.id))}
          canManage={held.has("apiKey:manage")}
          managers="The project's Owner or a Manager"
          projectId={project.id}
        />
      ) : (
        <p className="alert alert-info">Your project role does not allow viewing the project&apos;s API keys.</p>
      )}
    </>
  );
}
