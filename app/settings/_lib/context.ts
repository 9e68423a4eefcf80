// Server-only: the preamble of every settings page. The signed-in user, their active organization,
// the service context to call services with and the permissions their role holds — or a redirect:
// to sign-in (coming back to `path` afterwards) without a session, to creating an organization
// without any membership.
import { randomUUID } from "node:crypto";
import { redirect } from "next/navigation";
import { getWorkspace } from "@/lib/auth/session";
import type { ServiceContext } from "@/lib/services/context";
import { permissionsOf } from "@/lib/services/permissions";

type Workspace = NonNullable<Awaited<ReturnType<typeof getWorkspace>>>;

export interface SettingsContext {
  user: Workspace["user"];
  /** The active organization. */
  org: NonNullable<Workspace["active"]>;
  /** Every organization the user belongs to. */
  organizations: Workspace["organizations"];
  ctx: ServiceContext;
  permissions: ReadonlySet<string>;
}

/** For a settings page at `path` (e.g. "/settings/members"). Never returns without an active organization. */
export async function requireSettingsContext(path: string): Promise<SettingsContext> {
  const workspace = await getWorkspace();
  if (!workspace) redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  if (!workspace.user.emailVerified) redirect(`/verify-email?callbackUrl=${encodeURIComponent(path)}`);
  const { user, active: org, organizations } = workspace;
  if (!org) redirect("/organizations/new");
  const ctx: ServiceContext = {
    actor: { type: "user", userId: user.id, organizationId: org.id },
    requestId: randomUUID(),
  };
  const permissions = await permissionsOf(ctx.actor);
  return { user, org, organizations, ctx, permissions };
}
