import type { Metadata } from "next";
import Link from "next/link";
import { FlashProvider } from "@/app/settings/_components/flash";
import { visuallyHidden } from "@/app/settings/_lib/a11y";
import { requireSettingsContext } from "@/app/settings/_lib/context";
import { formatDate, formatDateTime } from "@/lib/format";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { grantableRoles, searchMembers, type MemberRow } from "@/lib/services/member-search";
import { ChangeRoleForm, RemoveMemberForm } from "./member-actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Members" };

const PAGE_SIZE = 25;
const PATH = "/settings/members";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** A page number from the URL; anything odd (0, -1, "abc", 1.5) falls back to the first page. */
function pageParam(value: string | undefined): number {
  return value && /^[1-9]\d{0,6}$/.test(value) ? Number(value) : 1;
}

function pageHref(q: string, page: number) {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `${PATH}?${query}` : PATH;
}

export default async function MembersPage({ searchParams }: { searchParams: SearchParams }) {
  const { user, org, ctx, permissions } = await requireSettingsContext(PATH);
  const header = (
    <header>
      <h1>Members</h1>
      <p className="muted">
        Everyone in {org.name} and the role that decides what they can do. To add people, send an{" "}
        <Link href="/settings/invitations">invitation</Link>.
      </p>
    </header>
  );
  if (!permissions.has("user:read")) {
    return (
      <div className="stack">
        {header}
        <p className="alert alert-info">Your role cannot view the members of {org.name}.</p>
      </div>
    );
  }

  const params = await searchParams;
  const q = (first(params.q) ?? "").trim().slice(0, 100);
  let page = pageParam(first(params.page));
  let { members, total } = await searchMembers(ctx, { q, page, pageSize: PAGE_SIZE });
  const lastPage = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (page > lastPage) {
    // A stale link (members were removed since): show the last page rather than nothing.
    page = lastPage;
    ({ members, total } = await searchMembers(ctx, { q, page, pageSize: PAGE_SIZE }));
  }

  const canManage = permissions.has("user:manage");
  const canDelete = permissions.has("user:delete");
  const roles = canManage ? (await grantableRoles(ctx)).grantable : [];
  const from = total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
  const to = (page - 1) * PAGE_SIZE + members.length;

  return (
    <FlashProvider>
      <div className="stack">
        {header}
        {!canManage && !canDelete && (
          <p className="alert alert-info">Your role can view members but not change their roles or remove them.</p>
        )}
        <section className="card stack" aria-label="Member list">
          <form role="search" action={PATH} className="row" aria-label="Search members">
            <label htmlFor="member-search" style={visuallyHidden}>
              Search by name or email
            </label>
            <input id="member-search" type="search" name="q" defaultValue={q} placeholder="Search by name or email" style={{ flexGrow: 1, width: "auto" }} />
            <button type="submit" className="button button-secondary">
              Search
            </button>
            {q && (
              <Link href={PATH} className="button button-secondary">
                Clear
              </Link>
            )}
          </form>
          {members.length === 0 ? (
            <div className="empty">
              {q ? (
                <>
                  <p>No members match “{q}”.</p>
                  <Link href={PATH}>Show everyone</Link>
                </>
              ) : (
                <p>No members yet.</p>
              )}
            </div>
          ) : (
            <MemberTable
              members={members}
              selfId={user.id}
              orgName={org.name}
              roles={roles}
              canManage={canManage && roles.length > 0}
              canDelete={canDelete}
            />
          )}
          <nav className="row" aria-label="Pages">
            <span className="muted" aria-live="polite">
              {total === 0 ? "No members to show" : `Showing ${from}–${to} of ${total}${q ? ` matching “${q}”` : ""}`}
            </span>
            <span className="spacer" />
            <PageLink href={page > 1 ? pageHref(q, page - 1) : null} label="Previous" />
            <PageLink href={page < lastPage ? pageHref(q, page + 1) : null} label="Next" />
          </nav>
        </section>
      </div>
    </FlashProvider>
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

function MemberTable({
  members,
  selfId,
  orgName,
  roles,
  canManage,
  canDelete,
}: {
  members: MemberRow[];
  selfId: string;
  orgName: string;
  roles: { id: string; name: string }[];
  canManage: boolean;
  canDelete: boolean;
}) {
  const showActions = canManage || canDelete;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Member</th>
          <th scope="col">Role</th>
          <th scope="col">Joined</th>
          {showActions && <th scope="col">Actions</th>}
        </tr>
      </thead>
      <tbody>
        {members.map((member) => {
          const role = member.organizationRole;
          const isOwner = role?.id === SYSTEM_ROLES.Owner;
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
              <td>
                <time dateTime={member.joinedAt} title={formatDateTime(member.joinedAt)}>
                  {formatDate(member.joinedAt)}
                </time>
              </td>
              {showActions && (
                <td>
                  {isOwner ? (
                    <span className="muted">
                      {member.id === selfId ? "To hand over, choose Owner for another member." : "—"}
                    </span>
                  ) : (
                    <div className="row" style={{ alignItems: "flex-start" }}>
                      {canManage && role && (
                        <ChangeRoleForm userId={member.id} email={member.email} currentRoleId={role.id} roles={options} />
                      )}
                      {canDelete && <RemoveMemberForm userId={member.id} email={member.email} orgName={orgName} />}
                    </div>
                  )}
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
