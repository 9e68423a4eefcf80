import type { Metadata } from "next";
import Link from "next/link";
import { FlashProvider } from "@/app/settings/_components/flash";
import { SearchForm } from "@/app/settings/_components/search-form";
import { visuallyHidden } from "@/app/settings/_lib/a11y";
import { requireSettingsContext } from "@/app/settings/_lib/context";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { mailDelivery } from "@/lib/email/delivery";
import { env } from "@/lib/env";
import { ORGANIZATION_SCOPE } from "@/lib/services/invitations";
import { grantableRoles } from "@/lib/services/roles";
import { DeclinedInvitations, InvitationPager, InvitationTable, NoOpenInvitations } from "./invitation-table";
import { InviteForm } from "./invite-form";
import { firstParam as first, invitationLists, STATUS_FILTERS, type SearchParams, type StatusFilter } from "./lists";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Invitations" };

const PATH = "/settings/invitations";

export default async function InvitationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { org, ctx, permissions } = await requireSettingsContext(PATH);
  const header = (
    <header>
      <h1>Invitations</h1>
      <p className="muted">
        Invite people to {org.name} by email. A link is valid for {env().INVITATION_TTL_DAYS} days and only for the address
        it was sent to. Accepted invitations move to <Link href="/settings/members">Members</Link>.
      </p>
    </header>
  );
  if (!permissions.has("user:read")) {
    return (
      <div className="stack">
        {header}
        <p className="alert alert-info">Your role cannot view the invitations of {org.name}.</p>
      </div>
    );
  }

  const params = await searchParams;
  const rawStatus = first(params.status)?.toUpperCase();
  const status = rawStatus && rawStatus in STATUS_FILTERS ? (rawStatus as StatusFilter) : undefined;
  const email = (first(params.email) ?? "").trim().slice(0, 320);
  const filtered = Boolean(status || email);

  const canManage = permissions.has("user:manage");
  const now = new Date();
  // Declined ones are not open: they are listed (and paged) apart, with Re-invite.
  const [{ open, declined }, roles] = await Promise.all([
    invitationLists(ctx, ORGANIZATION_SCOPE, { path: PATH, params, status, email: email || undefined, now }),
    grantableRoles(ctx),
  ]);
  const mail = mailDelivery();
  const roleNames = Object.fromEntries(roles.all.map((r) => [r.id, r.name]));
  // Ownership is transferred between members, never given by invitation.
  const invitable = roles.grantable.filter((r) => r.id !== SYSTEM_ROLES.Owner);
  const defaultRoleId = invitable.some((r) => r.id === SYSTEM_ROLES.Member) ? SYSTEM_ROLES.Member : invitable[0]?.id;

  return (
    <FlashProvider>
      <div className="stack">
        {header}
        {canManage ? (
          <section className="card" aria-labelledby="invite-heading">
            <h2 id="invite-heading">Invite people</h2>
            <InviteForm roles={invitable.map(({ id, name }) => ({ id, name }))} defaultRoleId={defaultRoleId} />
          </section>
        ) : (
          <p className="alert alert-info">Your role can view invitations but not send them.</p>
        )}
        <section className="card stack" aria-labelledby="list-heading">
          <h2 id="list-heading">
            Open invitations <span className="muted">({open.total})</span>
          </h2>
          <SearchForm
            action={PATH}
            label="Filter invitations"
            field={{ id: "filter-email", name: "email", value: email, label: "Email contains", placeholder: "Email contains…" }}
            submit="Filter"
            filtered={filtered}
          >
            <label htmlFor="filter-status" style={visuallyHidden}>
              Status
            </label>
            <select id="filter-status" name="status" defaultValue={status ?? ""} style={{ width: "auto" }}>
              <option value="">All statuses</option>
              {Object.entries(STATUS_FILTERS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </SearchForm>
          {open.invitations.length === 0 ? (
            <div className="empty">
              {filtered ? (
                <>
                  <p>No open invitations match these filters.</p>
                  <Link href={PATH}>Show all invitations</Link>
                </>
              ) : (
                <NoOpenInvitations canManage={canManage} senders="admins" />
              )}
            </div>
          ) : (
            <InvitationTable invitations={open.invitations} roleNames={roleNames} canManage={canManage} now={now} mail={mail} />
          )}
          <InvitationPager list={open} />
        </section>
        <DeclinedInvitations list={declined} roleNames={roleNames} canManage={canManage} now={now} mail={mail} />
      </div>
    </FlashProvider>
  );
}
