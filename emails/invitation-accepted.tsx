// Tells an inviter that their invitation was accepted. The invitee email, org and role names are
// user-supplied: they appear only as escaped React text, and the one link is `membersUrl`, which
// the server builds from APP_URL.
import { Link, Text } from "@react-email/components";
import { EmailLayout, styles } from "./_components/layout";

export type InvitationAcceptedEmailProps = {
  orgName: string;
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

export function subject(props: InvitationAcceptedEmailProps): string {
  return oneLine(`${props.inviteeEmail} accepted your invitation to ${props.orgName}`);
}

export default function InvitationAcceptedEmail(props: InvitationAcceptedEmailProps) {
  return (
    <EmailLayout
      preview={`${props.inviteeEmail} joined ${props.orgName} as ${props.roleName}`}
      heading="Invitation accepted"
      footer="You are receiving this because you invited them to the organization."
    >
      <Text style={styles.text}>
        <strong>{props.inviteeEmail}</strong> accepted your invitation to{" "}
        <strong>{props.orgName}</strong> as <strong>{props.roleName}</strong>.
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
