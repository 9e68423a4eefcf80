// A members table with its pager, for the organization's members and for a project's
// (`project`): who they are, their role and, for those who may, the controls to change the role
// or remove them. The table scrolls inside its card on a narrow screen.
import Link from "next/link";
import { Time } from "@/app/_components/time";
import { ChangeRoleForm, RemoveMemberForm } from "./member-actions";
import { ownerRoleOf, type MemberProject } from "./member-scope";

export interface MemberTableRow {
  id: string;
  email: string;
  name: string | null;
  role: { id: string; name: string } | null;
  /** Organization members only: project memberships have no join date to show. */
  joinedAt?: string;
}

export function MemberTable({
  members,
  selfId,
  orgName,
  roles,
  canManage,
  canDelete,
  project,
}: {
  members: MemberTableRow[];
  selfId: string;
  orgName: string;
  roles: { id: string; name: string }[];
  canManage: boolean;
  canDelete: boolean;
  project?: MemberProject;
}) {
  const now = new Date().toISOString();
  const showActions = canManage || canDelete;
  const showJoined = members.some((m) => m.joinedAt);
  const ownerRoleId = ownerRoleOf(project);
  return (
    <div className="table-scroll" role="region" aria-label="Members table" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">{project ? "Project role" : "Role"}</th>
            {showJoined && <th scope="col">Joined</th>}
            {showActions && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {members.map((member) => {
            const role = member.role;
            const isOwner = role?.id === ownerRoleId;
            // The current role stays selectable even when this user could not grant it.
            const options = role && !roles.some((r) => r.id === role.id) ? [role, ...roles] : roles;
            return (
              <tr key={member.id}>
                <td>
                  <strong>{member.name ?? member.email}</strong> {member.id === selfId && <span className="badge">You</span>}
                  {member.name && <div className="muted">{member.email}</div>}
                </td>
                <td>
                  <span className={`badge${isOwner ? " badge-blue" : ""}`}>{role?.name ?? "No role"}</span>
                </td>
                {showJoined && (
                  <td>
                    {member.joinedAt && <Time iso={member.joinedAt} now={now} />}
                  </td>
                )}
                {showActions && (
                  <td>
                    {isOwner ? (
                      <span className="muted">
                        {member.id === selfId ? "To hand over, choose Owner for another member." : "—"}
                      </span>
                    ) : (
                      <div className="row" style={{ alignItems: "flex-start" }}>
                        {canManage && role && (
                          <ChangeRoleForm userId={member.id} email={member.email} currentRoleId={role.id} roles={options} project={project} />
                        )}
                        {canDelete && <RemoveMemberForm userId={member.id} email={member.email} orgName={orgName} project={project} />}
                      </div>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A page number from the URL; anything odd (0, -1, "abc", 1.5) falls back to the first page. */
export function pageParam(value: string | string[] | undefined): number {
  const one = Array.isArray(value) ? value[0] : value;
  return one && /^[1-9]\d{0,6}$/.test(one) ? Number(one) : 1;
}

/** "Showing 1–25 of 40" with Previous / Next links; `hrefFor` builds a page's address. */
export function MemberPager({
  page,
  pageSize,
  shown,
  total,
  suffix = "",
  hrefFor,
}: {
  page: number;
  pageSize: number;
  /** Rows on this page. */
  shown: number;
  total: number;
  suffix?: string;
  hrefFor: (page: number) => string;
}) {
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = (page - 1) * pageSize + shown;
  return (
    <nav className="row" aria-label="Pages">
      <span className="muted" aria-live="polite">
        {total === 0 ? "No members to show" : `Showing ${from}–${to} of ${total}${suffix}`}
      </span>
      <span className="spacer" />
      <PageLink href={page > 1 ? hrefFor(page - 1) : null} label="Previous" />
      <PageLink href={page < lastPage ? hrefFor(page + 1) : null} label="Next" />
    </nav>
  );
}

function PageLink({ href, label }: { href: string | null; label: string }) {
  if (!href) {
    return (
      <span className="button button-secondary" aria-disabled="true" style={{ opacity: 0.5, cursor: "default" }}>
        {label}
      </span>
    );
  }
  return (
    <Link href={href} className="button button-secondary">
      {label}
    </Link>
  );
}
