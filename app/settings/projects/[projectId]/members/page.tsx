import type { Metadata } from "next";
import Link from "next/link";
import { FlashProvider } from "@/app/settings/_components/flash";
import { MemberPager, MemberTable, pageParam } from "@/app/settings/members/member-table";
import { projectPage } from "@/lib/actions/scope";
import { listProjectMembers } from "@/lib/services/projects/members";
import { projectRoles, requireProjectContext } from "../../_lib/project-context";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Project members" };

const PAGE_SIZE = 25;

type Props = { params: Promise<{ projectId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ProjectMembersPage({ params, searchParams }: Props) {
  const { projectId } = await params;
  const { user, org, ctx, project, projectAuthority } = await requireProjectContext(projectId);
  const held = projectAuthority.permissions;
  const path = projectPage(project.id, "members");
  if (!held.has("user:read")) {
    return <p className="alert alert-info">Your project role cannot view the members of {project.name}.</p>;
  }

  let page = pageParam((await searchParams).page);
  let { members, total } = await listProjectMembers(ctx, project.id, { page, pageSize: PAGE_SIZE });
  const lastPage = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (page > lastPage) {
    // A stale link (members left since): show the last page rather than nothing.
    page = lastPage;
    ({ members, total } = await listProjectMembers(ctx, project.id, { page, pageSize: PAGE_SIZE }));
  }
  const canManage = held.has("user:manage");
  const canDelete = held.has("user:delete");
  const roles = canManage ? (await projectRoles(ctx, project.id)).grantable : [];
  const invitations = projectPage(project.id, "invitations");

  return (
    <FlashProvider>
      <section className="card stack" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <p className="muted">
          The people who work in {project.name} and their project role. Everyone here is also a member of {org.name};
          organization Owners and Admins manage every project, listed here or not. To add people,{" "}
          <Link href={invitations}>invite them</Link>.
        </p>
        {!canManage && !canDelete && (
          <p className="alert alert-info">Your project role can view members but not change their roles or remove them.</p>
        )}
        {members.length === 0 ? (
          <div className="empty">
            <p>
              <strong>No members yet.</strong>
            </p>
            <p>
              Invite people from the <Link href={invitations}>Invitations</Link> tab: members of {org.name} and people
              outside it alike.
            </p>
          </div>
        ) : (
          <MemberTable
            members={members.map(({ projectRole, ...member }) => ({ ...member, role: projectRole }))}
            selfId={user.id}
            orgName={org.name}
            roles={roles}
            canManage={canManage && roles.length > 0}
            canDelete={canDelete}
            project={{ id: project.id, name: project.name }}
          />
        )}
        <MemberPager page={page} pageSize={PAGE_SIZE} shown={members.length} total={total} hrefFor={(n) => (n > 1 ? `${path}?page=${n}` : path)} />
      </section>
    </FlashProvider>
  );
}
