// Tells an inviter that their invitation was accepted. The invitee email, org and role names are
// user-supplied: they appear only as escaped React text, and the one link is `membersUrl`, which
// the server builds from APP_URL.
import { Link, Text } from "@react-email/components";
import { EmailLayout, styles } from "./_components/layout";

export type InvitationAcceptedEmailProps = {
  orgName: string;
  /** Set when the invitation was to a project. */
  projectName?: string | null;
  inviteeEmail: string;
  roleName: string;
  /** `<APP_URL>/settings/members` (or wherever the members page lives) */
  membersUrl: string;
};

export const previewProps: InvitationAcceptedEmailProps = {
  orgName: "Acme Research",
  inviteeEmail: "grace@example.com",
  roleName: "Member",
  membersUrl: "http://localhost:3000/settings/members",
};

/** Header values must stay on one line whatever the names contain. */
const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();

/** "Acme Research", or "Forecasting in Acme Research" for a project. */
const place = (props: InvitationAcceptedEmailProps) =>
  props.projectName ? `${props.projectName} in ${props.orgName}` : props.orgName;

export function subject(props: InvitationAcceptedEmailProps): string {
  return oneLine(`${props.inviteeEmail} accepted your invitation to ${place(props)}`);
}

export default function InvitationAcceptedEmail(props: InvitationAcceptedEmailProps) {
  return (
    <EmailLayout
      preview={`${props.inviteeEmail} joined ${place(props)} as ${props.roleName}`}
      heading="Invitation accepted"
      footer={`You are receiving this because you invited them to the ${props.projectName ? "project" : "organization"}.`}
    >
      <Text style={styles.text}>
        <strong>{props.inviteeEmail}</strong> accepted your invitation to{" "}
        {props.projectName ? (
          <>
            the project <strong>{props.projectName}</strong> in <strong>{props.orgName}</strong>
          </>
        ) : (
          <strong>{props.orgName}</strong>
        )}{" "}
        as <strong>{props.roleName}</strong>.
      </Text>
      <Text style={styles.text}>
        You can change their role or remove them at any time on the{" "}
        <Link href={props.membersUrl} style={styles.link}>
          members page
        </Link>
        .
      </Text>
    </EmailLayout>
  );
}

InvitationAcceptedEmail.PreviewProps = previewProps;
