// Tells an inviter that their invitation was accepted. The invitee email, org and role names are
// user-supplied: they appear only as escaped React text, and the one link is `membersUrl`, which
// the server builds from APP_URL.
import {
  Body,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Link,
  Preview,
  Section,
  Text,
} from "@react-email/components";

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
    <Html lang="en">
      <Head />
      <Preview>{`${props.inviteeEmail} joined ${props.orgName} as ${props.roleName}`}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Text style={styles.wordmark}>Confident</Text>
          <Section style={styles.card}>
            <Heading as="h1" style={styles.heading}>
              Invitation accepted
            </Heading>
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
            <Hr style={styles.hr} />
            <Text style={styles.small}>
              You are receiving this because you invited them to the organization.
            </Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

InvitationAcceptedEmail.PreviewProps = previewProps;

const font =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

const styles = {
  body: { backgroundColor: "#f4f4f5", fontFamily: font, margin: 0, padding: "32px 0" },
  container: { maxWidth: "560px", margin: "0 auto", padding: "0 16px" },
  wordmark: { fontSize: "18px", fontWeight: 700, color: "#18181b", margin: "0 0 16px" },
  card: {
    backgroundColor: "#ffffff",
    border: "1px solid #e4e4e7",
    borderRadius: "8px",
    padding: "32px",
  },
  heading: { fontSize: "20px", lineHeight: "28px", fontWeight: 600, color: "#18181b", margin: 0 },
  text: { fontSize: "15px", lineHeight: "24px", color: "#27272a", margin: "16px 0" },
  link: { color: "#4338ca", textDecoration: "underline" },
  small: { fontSize: "13px", lineHeight: "20px", color: "#52525b", margin: "8px 0" },
  hr: { borderColor: "#e4e4e7", margin: "24px 0 16px" },
};
