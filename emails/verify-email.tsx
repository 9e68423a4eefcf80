// Email address verification. `url` is built by the server from APP_URL; nothing user-supplied
// is rendered.
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

export type VerifyEmailProps = {
  url: string;
};

export const previewProps: VerifyEmailProps = {
  url: "http://localhost:3000/verify-email?token=preview-token-0123456789abcdef",
};

export function subject(_props: VerifyEmailProps): string {
  return "Verify your email address for Confident";
}

export default function VerifyEmail(props: VerifyEmailProps) {
  return (
    <Html lang="en">
      <Head />
      <Preview>Confirm that this email address is yours</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Text style={styles.wordmark}>Confident</Text>
          <Section style={styles.card}>
            <Heading as="h1" style={styles.heading}>
              Verify your email address
            </Heading>
            <Text style={styles.text}>
              Confirm that this address is yours so that you can receive invitations and sign-in
              links from Confident.
            </Text>
            <Section style={styles.buttonRow}>
              <Button href={props.url} style={styles.button}>
                Verify email address
              </Button>
            </Section>
            {/* The text version already prints the button's URL, so this block is HTML-only. */}
            <Section data-skip-in-text="true">
              <Text style={styles.small}>
                Button not working? Copy and paste this link into your browser:
              </Text>
              <Text style={styles.url}>{props.url}</Text>
            </Section>
            <Hr style={styles.hr} />
            <Text style={styles.small}>
              If you did not create a Confident account with this address, you can ignore this
              email.
            </Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

VerifyEmail.PreviewProps = previewProps;

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
