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
        projectName: typeof payload.projectName === "string" ? payload.projectName : null,
        inviterName: (payload.inviterName as string | null) ?? null,
        roleName: String(payload.roleName),
        expiresAt: String(payload.expiresAt),
        inviteUrl: String(secret.inviteUrl),
      });
    case "invitation-accepted":
      // Nothing secret: the one link is the members page, built from APP_URL when queued.
      return renderEmail("invitation-accepted", {
        orgName: String(payload.orgName),
        projectName: typeof payload.projectName === "string" ? payload.projectName : null,
        inviteeEmail: String(payload.inviteeEmail),
        roleName: String(payload.roleName),
        membersUrl: String(payload.membersUrl),
      });
    case "sign-in-link":
      return renderEmail("sign-in-link", {
        url: String(secret.url),
        expiresInMinutes: Number(payload.expiresInMinutes ?? 30),
      });
    case "verify-email":
      return renderEmail("verify-email", { url: String(secret.url) });
    case "account-exists":
      return renderEmail("account-exists", { signInUrl: String(payload.signInUrl) });
    default:
      throw new Error(`Unknown email kind: ${kind}`);
  }
}
