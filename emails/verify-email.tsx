// Email address verification. `url` is built by the server from APP_URL; nothing user-supplied
// is rendered.
import { Text } from "@react-email/components";
import { EmailButton, EmailLayout, styles } from "./_components/layout";

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
    <EmailLayout
      preview="Confirm that this email address is yours"
      heading="Verify your email address"
      footer={
        <>
          If you did not create a Confident account with this address, you can ignore this email.
        </>
      }
    >
      <Text style={styles.text}>
        Confirm that this address is yours so that you can receive invitations and sign-in links
        from Confident.
      </Text>
      <EmailButton href={props.url}>Verify email address</EmailButton>
    </EmailLayout>
  );
}

VerifyEmail.PreviewProps = previewProps;
