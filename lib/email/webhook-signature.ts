// Resend signs its webhooks with Svix, i.e. the Standard Webhooks scheme, under svix-* header
// names. Verification (HMAC, constant-time compare, 5-minute timestamp tolerance) is left to
// the maintained `standardwebhooks` package, which expects the webhook-* names: map them.
import { Webhook, WebhookVerificationError } from "standardwebhooks";

const header = (headers: Headers, name: string) => headers.get(`svix-${name}`) ?? headers.get(`webhook-${name}`) ?? "";

/** The delivery id (svix-id) when the body is signed with `secret`, otherwise null. */
export function verifyResendWebhook(secret: string, headers: Headers, body: string): string | null {
  const mapped = {
    "webhook-id": header(headers, "id"),
    "webhook-timestamp": header(headers, "timestamp"),
    "webhook-signature": header(headers, "signature"),
  };
  try {
    new Webhook(secret).verify(body, mapped, { jsonParse: false });
    return mapped["webhook-id"];
  } catch (error) {
    if (error instanceof WebhookVerificationError) return null;
    throw error;
  }
}
