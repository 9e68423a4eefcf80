// Turns an outbox row (its non-secret payload plus the decrypted secret part) into a rendered
// message, using the React Email templates in emails/.
import { renderEmail } from "@/emails";

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
}

export async function buildMessage(
  kind: string,
  payload: Record<string, unknown>,
  secret: Record<string, unknown>,
): Promise<RenderedMessage> {
  switch (kind) {
    case "invitation":
      return renderEmail("invitation", {
        orgName: String(payload.organizationName),
        inviterName: (payload.inviterName as string | null) ?? null,
        roleName: String(payload.roleName),
        expiresAt: String(payload.expiresAt),
        inviteUrl: String(secret.inviteUrl),
      });
    default:
      throw new Error(`Unknown email kind: ${kind}`);
  }
}
