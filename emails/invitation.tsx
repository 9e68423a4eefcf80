// Invitation to an organization, or to one of its projects. Org, project, inviter and role names
// come from users, so they are rendered only as React text (escaped) and never reach an href:
// the one link is `inviteUrl`, which the server builds from APP_URL.
import { Text } from "@react-email/components";
import { formatLongDate } from "@/lib/format";
import { EmailButton, EmailLayout, styles } from "./_components/layout";

export type InvitationEmailProps = {
  orgName: string;
  /** Set for a project invitation. */
  projectName?: string | null;
  /** Display name of the member who sent it; null when unknown (e.g. created with an API key). */
  inviterName: string | null;
  roleName: string;
  /** ISO 8601 timestamp (JSON-safe for the outbox); shown as a UTC date. */
  expiresAt: string;
  /** `<APP_URL>/invite/<token>` */
  inviteUrl: string;
};

export const previewProps: InvitationEmailProps = {
  orgName: "Acme Research",
  inviterName: "Ada Lovelace",
  roleName: "Admin",
  expiresAt: "2026-12-04T09:30:00.000Z",
  inviteUrl: "http://localhost:3000/invite/preview-token-0123456789abcdef",
};

/** Header values must stay on one line whatever the org name contains. */
const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();

export function subject(props: InvitationEmailProps): string {
  return oneLine(props.projectName ? `Join ${props.projectName} (${props.orgName}) on Confident` : `Join ${props.orgName} on Confident`);
}

/** "December 4, 2026"; throws on an invalid timestamp rather than mailing "Invalid Date". */
export function formatExpiry(expiresAt: string): string {
  return formatLongDate(expiresAt);
}

export default function InvitationEmail(props: InvitationEmailProps) {
  const inviter = props.inviterName?.trim() || null;
  const lead = inviter ? `${inviter} invited you to join` : "You have been invited to join";
  const project = props.projectName?.trim() || null;
  return (
    <EmailLayout
      preview={project ? `${lead} ${project} in ${props.orgName} on Confident` : `${lead} ${props.orgName} on Confident`}
      heading={
        project ? (
          <>
            {lead} the project <strong>{project}</strong> in <strong>{props.orgName}</strong>
          </>
        ) : (
          <>
            {lead} <strong>{props.orgName}</strong>
          </>
        )
      }
      footer={
        <>
          This invitation expires on {formatExpiry(props.expiresAt)}. If you were not expecting
          it, you can ignore this email.
        </>
      }
    >
      <Text style={styles.text}>
        You will join as <strong>{props.roleName}</strong>. Accept the invitation to get access
        to the {project ? "project" : "organization"} on Confident.
      </Text>
      <EmailButton href={props.inviteUrl}>Accept invitation</EmailButton>
    </EmailLayout>
  );
}

InvitationEmail.PreviewProps = previewProps;
