// The open invitations (pending, expired, declined) with their email delivery state, of the
// organization or of one project (`projectId`). The table scrolls inside its card on a narrow screen.
import { formatDateTime, relativeTime } from "@/lib/format";
import { roleIdOf, type AnyInvitationDto } from "@/lib/validation/invitations";
import { ResendForm, RevokeForm } from "./invitation-actions";
import styles from "./invitations.module.css";
import { isExpired } from "@/lib/services/invitations/dto";

type EmailStatus = AnyInvitationDto["email_status"];

const DELIVERY: Record<EmailStatus, { badge: string; label: string; title: string }> = {
  QUEUED: { badge: "", label: "Queued", title: "Waiting to be handed to the mail provider." },
  SENT: { badge: "badge-blue", label: "Sent", title: "Accepted by the mail provider." },
  DELIVERED: { badge: "badge-green", label: "Delivered", title: "The recipient's mail server accepted it." },
  BOUNCED: { badge: "badge-red", label: "Bounced", title: "The address rejected it. Check the spelling; revoke and invite again." },
  FAILED: { badge: "badge-red", label: "Failed", title: "It could not be sent. Resend it; the new link also appears here to share yourself." },
};

function StatusBadge({ invitation, expired }: { invitation: AnyInvitationDto; expired: boolean }) {
  if (invitation.status === "DECLINED") return <span className="badge badge-red">Declined</span>;
  if (expired) return <span className="badge">Expired</span>;
  return <span className="badge badge-amber">Pending</span>;
}

function When({ iso, now, prefix = "" }: { iso: string; now: Date; prefix?: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {prefix}
      {relativeTime(iso, now)}
    </time>
  );
}

export function InvitationTable({
  invitations,
  roleNames,
  canManage,
  now,
  projectId,
}: {
  invitations: AnyInvitationDto[];
  roleNames: Record<string, string>;
  canManage: boolean;
  now: Date;
  projectId?: string;
}) {
  return (
    <div className={styles.tableWrap}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Expires</th>
            <th scope="col">Email delivery</th>
            {canManage && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {invitations.map((invitation) => {
            const expired = isExpired(invitation, now);
            const delivery = DELIVERY[invitation.email_status];
            return (
              <tr key={invitation.id}>
                <td>{invitation.email}</td>
                <td>{roleNames[roleIdOf(invitation)] ?? <span className="muted">—</span>}</td>
                <td>
                  <StatusBadge invitation={invitation} expired={expired} />
                </td>
                <td className={styles.nowrap}>
                  {invitation.status === "DECLINED" ? (
                    <span className="muted">—</span>
                  ) : (
                    <When iso={invitation.expires_at} now={now} prefix={expired ? "Expired " : ""} />
                  )}
                </td>
                <td>
                  <span className={`badge ${delivery.badge}`} title={delivery.title}>
                    {delivery.label}
                  </span>
                  <span className="hint">
                    {/* A failed delivery needs a next step more than a time. */}
                    {invitation.email_status === "BOUNCED" || invitation.email_status === "FAILED" ? (
                      delivery.title
                    ) : (
                      <>
                        Last sent <When iso={invitation.last_sent_at} now={now} />
                      </>
                    )}
                  </span>
                </td>
                {canManage && (
                  <td>
                    <div className={styles.actions}>
                      {invitation.status === "PENDING" && <ResendForm id={invitation.id} email={invitation.email} projectId={projectId} />}
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
