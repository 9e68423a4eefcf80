import type { Metadata } from "next";
import Link from "next/link";
import { FlashProvider } from "@/app/settings/_components/flash";
import { SearchForm } from "@/app/settings/_components/search-form";
import { requireSettingsContext } from "@/app/settings/_lib/context";
import { searchMembers } from "@/lib/services/member-search";
import { grantableRoles } from "@/lib/services/roles";
import { MemberPager, MemberTable, pageParam } from "./member-table";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Members" };

const PAGE_SIZE = 25;
const PATH = "/settings/members";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

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
  let page = pageParam(params.page);
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

  return (
    <FlashProvider>
      <div className="stack">
        {header}
        {!canManage && !canDelete && (
          <p className="alert alert-info">Your role can view members but not change their roles or remove them.</p>
        )}
        <section className="card stack" aria-label="Member list">
          <SearchForm
            action={PATH}
            label="Search members"
            field={{ id: "member-search", name: "q", value: q, label: "Search by name or email" }}
            submit="Search"
            filtered={Boolean(q)}
          />
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
              members={members.map(({ organizationRole, ...member }) => ({ ...member, role: organizationRole }))}
              selfId={user.id}
              orgName={org.name}
              roles={roles}
              canManage={canManage && roles.length > 0}
              canDelete={canDelete}
            />
          )}
          <MemberPager
            page={page}
            pageSize={PAGE_SIZE}
            shown={members.length}
            total={total}
            suffix={q ? ` matching “${q}”` : ""}
            hrefFor={(n) => pageHref(q, n)}
          />
        </section>
      </div>
    </FlashProvider>
  );
}
