import type { Metadata } from "next";
import Link from "next/link";
import { FlashProvider } from "@/app/settings/_components/flash";
import { SearchForm } from "@/app/settings/_components/search-form";
import { visuallyHidden } from "@/app/settings/_lib/a11y";
import { requireSettingsContext } from "@/app/settings/_lib/context";
import { SYSTEM_ROLES } from "@/lib/db/system-roles";
import { mailDelivery } from "@/lib/email/runner";
import { env } from "@/lib/env";
import { listInvitations } from "@/lib/services/invitations";
import { grantableRoles } from "@/lib/services/roles";
import { isExpired } from "@/lib/services/invitations/dto";
import type { AnyInvitationDto } from "@/lib/validation/invitations";
import { InvitationTable, DeclinedInvitations, NoOpenInvitations } from "./invitation-table";
import { InviteForm } from "./invite-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Invitations" };

const PATH = "/settings/invitations";

/** The list's filter; Expired is a PENDING invitation past its expiry, told apart here. */
const STATUS_FILTERS = { PENDING: "Pending", EXPIRED: "Expired", DECLINED: "Declined" } as const;
type StatusFilter = keyof typeof STATUS_FILTERS;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function matchesStatus(invitation: AnyInvitationDto, status: StatusFilter | undefined, now: Date) {
  if (status === undefined || invitation.status === "DECLINED") return true;
  return status === "EXPIRED" ? isExpired(invitation, now) : !isExpired(invitation, now);
}

export default async function InvitationsPage({ searchParams }: { searchParams: SearchParams }) {
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
  const [all, roles] = await Promise.all([
    listInvitations(ctx, {
      status: status === "DECLINED" ? "DECLINED" : status ? "PENDING" : undefined,
      email: email || undefined,
    }),
    grantableRoles(ctx),
  ]);
  const invitations = all.filter((i) => matchesStatus(i, status, now));
  // Declined ones are not open: they are listed apart, with Re-invite.
  const open = invitations.filter((i) => i.status === "PENDING");
  const declined = invitations.filter((i) => i.status === "DECLINED");
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
            Open invitations <span className="muted">({open.length})</span>
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
          {open.length === 0 ? (
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
            <InvitationTable invitations={open} roleNames={roleNames} canManage={canManage} now={now} mail={mail} />
          )}
        </section>
        <DeclinedInvitations invitations={declined} roleNames={roleNames} canManage={canManage} now={now} mail={mail} />
      </div>
    </FlashProvider>
  );
}
