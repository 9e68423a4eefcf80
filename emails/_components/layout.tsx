// The frame every email shares: wordmark, card with an h1, the template's body, and a small-print
// footer under a rule. Also the call-to-action button with its copy-the-link fallback. Lives in a
// `_`-prefixed folder so the React Email preview server does not list it as a template.
import type { ReactNode } from "react";
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
import { styles } from "./styles";

export { styles } from "./styles";

export type EmailLayoutProps = {
  /** Inbox preview line (hidden in the body). */
  preview: string;
  /** Content of the card's h1. */
  heading: ReactNode;
  /** Small print under the rule at the bottom of the card. */
  footer: ReactNode;
  children: ReactNode;
};

export function EmailLayout({ preview, heading, footer, children }: EmailLayoutProps) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Text style={styles.wordmark}>Confident</Text>
          <Section style={styles.card}>
            <Heading as="h1" style={styles.heading}>
              {heading}
            </Heading>
            {children}
            <Hr style={styles.hr} />
            <Text style={styles.small}>{footer}</Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

export type EmailButtonProps = {
  /** The template's one link target (built by the server from APP_URL). */
  href: string;
  children: ReactNode;
};

/** The call-to-action button, plus the URL spelled out for clients that block buttons. */
export function EmailButton({ href, children }: EmailButtonProps) {
  return (
    <>
      <Section style={styles.buttonRow}>
        <Button href={href} style={styles.button}>
          {children}
        </Button>
      </Section>
      {/* The text version already prints the button's URL, so this block is HTML-only. */}
      <Section data-skip-in-text="true">
        <Text style={styles.small}>
          Button not working? Copy and paste this link into your browser:
        </Text>
        <Text style={styles.url}>{href}</Text>
      </Section>
    </>
  );
}
