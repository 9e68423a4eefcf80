// Sent instead of a verification link when someone signs up with an address that already has
// an account, so the sign-up page can answer the same either way (no account enumeration). The
// one link is the sign-in page, built from APP_URL: nothing secret in it.
import { Text } from "@react-email/components";
import { EmailButton, EmailLayout, styles } from "./_components/layout";

export type AccountExistsEmailProps = {
  signInUrl: string;
};

export const previewProps: AccountExistsEmailProps = {
  signInUrl: "http://localhost:3000/sign-in?email=ada%40example.com",
};

export function subject(_props: AccountExistsEmailProps): string {
  return "You already have a Confident account";
}

export default function AccountExistsEmail(props: AccountExistsEmailProps) {
  return (
    <EmailLayout
      preview="Someone tried to create an account with this address"
      heading="You already have an account"
      footer={<>If this was not you, you can ignore this email: nothing was changed.</>}
    >
      <Text style={styles.text}>
        Someone — probably you — tried to create a Confident account with this email address. There is already an
        account for it, so no new one was made.
      </Text>
      <Text style={styles.text}>
        Sign in instead. Forgot the password? Choose &ldquo;Email me a sign-in link&rdquo; on the sign-in page.
      </Text>
      <EmailButton href={props.signInUrl}>Sign in</EmailButton>
    </EmailLayout>
  );
}

AccountExistsEmail.PreviewProps = previewProps;
