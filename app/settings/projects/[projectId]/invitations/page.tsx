import type { Metadata } from "next";
import Link from "next/link";
import { FlashProvider } from "@/app/settings/_components/flash";
import { DeclinedInvitations, InvitationPager, InvitationTable, NoOpenInvitations } from "@/app/settings/invitations/invitation-table";
import { InviteForm } from "@/app/settings/invitations/invite-form";
import { invitationLists, type SearchParams } from "@/app/settings/invitations/lists";
import { projectPage } from "@/lib/actions/scope";
import { PROJECT_ROLES } from "@/lib/db/system-roles";
import { mailDelivery } from "@/lib/email/delivery";
import { env } from "@/lib/env";
import { projectScope } from "@/lib/services/invitations";
import { projectRoles, requireProjectContext } from "../../_lib/project-context";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Project invitations" };

export default async function ProjectInvitationsPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { projectId } = await params;
  const { org, ctx, project, projectAuthority } = await requireProjectContext(projectId);
  const held = projectAuthority.permissions;
  if (!held.has("user:read")) {
    return <p className="alert alert-info">Your project role cannot view the invitations of {project.name}.</p>;
  }

  const canManage = held.has("user:manage");
  const now = new Date();
  // Declined ones are not open: they are listed (and paged) apart, with Re-invite.
  const [{ open, declined }, roles] = await Promise.all([
    invitationLists(ctx, projectScope(project.id), { path: projectPage(project.id, "invitations"), params: await searchParams, now }),
    projectRoles(ctx, project.id),
  ]);
  const roleNames = Object.fromEntries(roles.all.map((r) => [r.id, r.name]));
  const mail = mailDelivery();
  // Project ownership is transferred between members, never given by invitation.
  const invitable = roles.grantable.filter((r) => r.id !== PROJECT_ROLES.Owner);
  const defaultRoleId = invitable.some((r) => r.id === PROJECT_ROLES.Member) ? PROJECT_ROLES.Member : invitable[0]?.id;

  return (
    <FlashProvider>
      {canManage ? (
        <section className="card" aria-labelledby="invite-heading">
          <h2 id="invite-heading">Invite people to {project.name}</h2>
          <p className="muted">
            Invite members of {org.name} or anyone else by email: someone who is not in the organization yet joins it
            as a Member when they accept. A link is valid for {env().INVITATION_TTL_DAYS} days and only for the address
            it was sent to. Accepted invitations move to <Link href={projectPage(project.id, "members")}>Members</Link>.
          </p>
          <InviteForm roles={invitable.map(({ id, name }) => ({ id, name }))} defaultRoleId={defaultRoleId} projectId={project.id} />
        </section>
      ) : (
        <p className="alert alert-info">Your project role can view invitations but not send them.</p>
      )}
      <section className="card stack" aria-labelledby="list-heading">
        <h2 id="list-heading">
          Open invitations <span className="muted">({open.total})</span>
        </h2>
        {open.invitations.length === 0 ? (
          <div className="empty">
            <NoOpenInvitations canManage={canManage} senders="the project's Owner or Managers" />
          </div>
        ) : (
          <InvitationTable invitations={open.invitations} roleNames={roleNames} canManage={canManage} now={now} mail={mail} projectId={project.id} />
        )}
        <InvitationPager list={open} />
      </section>
      <DeclinedInvitations list={declined} roleNames={roleNames} canManage={canManage} now={now} mail={mail} projectId={project.id} />
    </FlashProvider>
  );
}
