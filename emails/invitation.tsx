// Organization invitation. Org, inviter and role names come from users, so they are rendered
// only as React text (escaped) and never reach an href: the one link is `inviteUrl`, which the
// server builds from APP_URL.
import {
  Body,
  Button,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Preview,
  Section,
  Text,
} from "@react-email/components";

export type InvitationEmailProps = {
  orgName: string;
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
  return oneLine(`Join ${props.orgName} on Confident`);
}

const longDate = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

/** "December 4, 2026"; throws on an invalid timestamp rather than mailing "Invalid Date". */
export function formatExpiry(expiresAt: string): string {
  return longDate.format(new Date(expiresAt));
}

export default function InvitationEmail(props: InvitationEmailProps) {
  const inviter = props.inviterName?.trim() || null;
  const lead = inviter ? `${inviter} invited you to join` : "You have been invited to join";
  return (
    <Html lang="en">
      <Head />
      <Preview>{`${lead} ${props.orgName} on Confident`}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Text style={styles.wordmark}>Confident</Text>
          <Section style={styles.card}>
            <Heading as="h1" style={styles.heading}>
              {lead} <strong>{props.orgName}</strong>
            </Heading>
            <Text style={styles.text}>
              You will join as <strong>{props.roleName}</strong>. Accept the invitation to get
              access to the organization on Confident.
            </Text>
            <Section style={styles.buttonRow}>
              <Button href={props.inviteUrl} style={styles.button}>
                Accept invitation
              </Button>
            </Section>
            {/* The text version already prints the button's URL, so this block is HTML-only. */}
            <Section data-skip-in-text="true">
              <Text style={styles.small}>
                Button not working? Copy and paste this link into your browser:
              </Text>
              <Text style={styles.url}>{props.inviteUrl}</Text>
            </Section>
            <Hr style={styles.hr} />
            <Text style={styles.small}>
              This invitation expires on {formatExpiry(props.expiresAt)}. If you were not expecting
              it, you can ignore this email.
            </Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

InvitationEmail.PreviewProps = previewProps;

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
  buttonRow: { margin: "24px 0" },
  button: {
    backgroundColor: "#18181b",
    borderRadius: "6px",
    color: "#ffffff",
    fontSize: "15px",
    fontWeight: 600,
    padding: "12px 20px",
  },
  small: { fontSize: "13px", lineHeight: "20px", color: "#52525b", margin: "8px 0" },
  url: {
    fontSize: "13px",
    lineHeight: "20px",
    color: "#27272a",
    margin: "0",
    wordBreak: "break-all" as const,
  },
  hr: { borderColor: "#e4e4e7", margin: "24px 0 16px" },
};
