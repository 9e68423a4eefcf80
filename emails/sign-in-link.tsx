// Magic sign-in link (sent by Auth.js's email provider). `url` is the callback URL Auth.js builds
// from APP_URL; nothing user-supplied is rendered.
import { Text } from "@react-email/components";
import { EmailButton, EmailLayout, styles } from "./_components/layout";

export type SignInLinkEmailProps = {
  url: string;
  expiresInMinutes: number;
};

export const previewProps: SignInLinkEmailProps = {
  url: "http://localhost:3000/sign-in/confirm?token=preview-token&email=ada%40example.com&callbackUrl=%2Fsettings",
  expiresInMinutes: 30,
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
    <EmailLayout
      preview="Your sign-in link for Confident"
      heading="Sign in to Confident"
      footer={
        <>
          This link expires in {formatMinutes(props.expiresInMinutes)} and can be used only once.
          If you did not try to sign in, you can ignore this email.
        </>
      }
    >
      <Text style={styles.text}>Use the button below to sign in. No password needed.</Text>
      <EmailButton href={props.url}>Sign in</EmailButton>
    </EmailLayout>
  );
}

SignInLinkEmail.PreviewProps = previewProps;
