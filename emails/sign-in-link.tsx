// Magic sign-in link (sent by Auth.js's email provider). `url` is the callback URL Auth.js builds
// from APP_URL; nothing user-supplied is rendered.
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

export type SignInLinkEmailProps = {
  url: string;
  expiresInMinutes: number;
};

export const previewProps: SignInLinkEmailProps = {
  url: "http://localhost:3000/api/auth/callback/resend?token=preview-token&email=ada%40example.com",
  expiresInMinutes: 15,
};

export function subject(_props: SignInLinkEmailProps): string {
  return "Sign in to Confident";
}

/** 15 → "15 minutes", 60 → "1 hour", 1440 → "24 hours", 90 → "90 minutes". */
export function formatMinutes(minutes: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  return minutes >= 60 && minutes % 60 === 0
    ? plural(minutes / 60, "hour")
    : plural(minutes, "minute");
}

export default function SignInLinkEmail(props: SignInLinkEmailProps) {
  return (
    <Html lang="en">
      <Head />
      <Preview>Your sign-in link for Confident</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Text style={styles.wordmark}>Confident</Text>
          <Section style={styles.card}>
            <Heading as="h1" style={styles.heading}>
              Sign in to Confident
            </Heading>
            <Text style={styles.text}>Use the button below to sign in. No password needed.</Text>
            <Section style={styles.buttonRow}>
              <Button href={props.url} style={styles.button}>
                Sign in
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
              This link expires in {formatMinutes(props.expiresInMinutes)} and can be used only
              once. If you did not try to sign in, you can ignore this email.
            </Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

SignInLinkEmail.PreviewProps = previewProps;

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
