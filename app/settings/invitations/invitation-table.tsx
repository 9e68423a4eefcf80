// An invitations list of the organization or of one project (`projectId`): the open ones
// (pending or expired) with their email delivery state, or the declined ones, which can be
// re-invited. The table scrolls inside its card on a narrow screen.
import Link from "next/link";
import { Time } from "@/app/_components/time";
import { CursorPager } from "@/app/settings/_components/cursor-pager";
import { roleIdOf, type AnyInvitationDto } from "@/lib/validation/invitations";
import { deliveryNote, type MailDelivery } from "./delivery";
import { ReinviteForm, ResendForm, RevokeForm } from "./invitation-actions";
import styles from "./invitations.module.css";
import type { PagedInvitations } from "./lists";
import { isExpired } from "@/lib/services/invitations/dto";

function StatusBadge({ invitation, expired }: { invitation: AnyInvitationDto; expired: boolean }) {
  if (invitation.status === "DECLINED") return <span className="badge badge-red">Declined</span>;
  if (expired) return <span className="badge">Expired</span>;
  return <span className="badge badge-amber">Pending</span>;
}

function Delivery({ invitation, mail, now }: { invitation: AnyInvitationDto; mail: MailDelivery; now: string }) {
  const note = deliveryNote(invitation.email_status, mail);
  return (
    <>
      <span className={`badge ${note.badge}`} title={note.title}>
        {note.label}
      </span>
      <span className="hint">
        {note.hint}
        {note.since && (
          <>
            {" "}
            <Time iso={invitation.last_sent_at} now={now} />
          </>
        )}
        {note.href && (
          <>
            {" · "}
            <Link href={note.href}>open it</Link>
          </>
        )}
      </span>
    </>
  );
}

export function InvitationTable({
  invitations,
  roleNames,
  canManage,
  now,
  mail,
  declined = false,
  projectId,
}: {
  invitations: AnyInvitationDto[];
  roleNames: Record<string, string>;
  canManage: boolean;
  now: Date;
  /** Where this installation's mail goes (mailDelivery()). */
  mail: MailDelivery;
  /** The declined invitations' list: when they were sent, and Re-invite. */
  declined?: boolean;
  projectId?: string;
}) {
  const nowIso = now.toISOString();
  return (
    <div className="table-scroll" role="region" aria-label={declined ? "Declined invitations table" : "Open invitations table"} tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            {declined ? (
              <th scope="col">Invited</th>
            ) : (
              <>
                <th scope="col">Expires</th>
                <th scope="col">Email delivery</th>
              </>
            )}
            {canManage && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {invitations.map((invitation) => {
            const expired = isExpired(invitation, now);
            const roleId = roleIdOf(invitation);
            return (
              <tr key={invitation.id}>
                <td>{invitation.email}</td>
                <td>{roleNames[roleId] ?? <span className="muted">—</span>}</td>
                <td>
                  <StatusBadge invitation={invitation} expired={expired} />
                </td>
                {declined ? (
                  <td className={styles.nowrap}>
                    <Time iso={invitation.last_sent_at} now={nowIso} />
                  </td>
                ) : (
                  <>
                    <td className={styles.nowrap}>
                      {expired && "Expired "}
                      <Time iso={invitation.expires_at} now={nowIso} />
                    </td>
                    <td>
                      <Delivery invitation={invitation} mail={mail} now={nowIso} />
                    </td>
                  </>
                )}
                {canManage && (
                  <td>
                    <div className={styles.actions}>
                      {invitation.status === "PENDING" && <ResendForm id={invitation.id} email={invitation.email} projectId={projectId} />}
                      {invitation.status === "DECLINED" && (
                        <ReinviteForm email={invitation.email} roleId={roleId} roleName={roleNames[roleId]} projectId={projectId} />
                      )}
                      <RevokeForm
                        id={invitation.id}
                        email={invitation.email}
                        declined={invitation.status === "DECLINED"}
                        projectId={projectId}
                      />
                    </div>
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

/** Below a paged list: how many of how many, Newest, and the link to the older ones. */
export function InvitationPager({ list, declined = false }: { list: PagedInvitations; declined?: boolean }) {
  return (
    <CursorPager
      label={declined ? "Declined invitations pages" : "Open invitations pages"}
      shown={list.invitations.length}
      total={list.total}
      newestHref={list.newestHref}
      olderHref={list.olderHref}
      olderLabel={declined ? "Older declined invitations" : "Older invitations"}
    />
  );
}

/** The declined invitations' own section (nothing when there are none), paged, with Re-invite for managers. */
export function DeclinedInvitations({
  list,
  ...props
}: Omit<Parameters<typeof InvitationTable>[0], "declined" | "invitations"> & { list: PagedInvitations }) {
  if (list.total === 0) return null;
  return (
    <section className="card stack" aria-labelledby="declined-heading">
      <h2 id="declined-heading">
        Declined <span className="muted">({list.total})</span>
      </h2>
      <p className="muted">
        These people said no.{" "}
        {props.canManage ? "Re-invite sends a new invitation with a new link; Revoke takes it off this list." : ""}
      </p>
      <InvitationTable {...props} invitations={list.invitations} declined />
      <InvitationPager list={list} declined />
    </section>
  );
}

/** What an empty list says; `senders` are who can invite when the viewer cannot ("admins"). */
export function NoOpenInvitations({ canManage, senders }: { canManage: boolean; senders: string }) {
  return (
    <>
      <p>
        <strong>No open invitations.</strong>
      </p>
      <p>
        {canManage
          ? "Invitations you send show here until they are accepted or revoked."
          : `Invitations sent by ${senders} show here until they are accepted or revoked.`}
      </p>
    </>
  );
}
