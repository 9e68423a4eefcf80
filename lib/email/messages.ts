// Turns an outbox row (its non-secret payload plus the decrypted secret part) into a rendered
// message, using the React Email templates in emails/. The shapes are those of
// lib/email/payloads.ts, which the queueing side is typed against too.
import { renderEmail } from "@/emails";
import type { EmailPayloads, EmailSecrets } from "./payloads";

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
}

type Stored = Record<string, unknown>;

/** Payloads queued before the shapes were unified named the organization `orgName`. */
const organizationOf = (payload: Stored) => String(payload.organizationName ?? payload.orgName);

export async function buildMessage(kind: string, stored: Stored, secret: Stored): Promise<RenderedMessage> {
  switch (kind) {
    case "invitation": {
      const payload = stored as Partial<EmailPayloads["invitation"]>;
      const { inviteUrl } = secret as EmailSecrets["invitation"];
      return renderEmail("invitation", {
        orgName: organizationOf(stored),
        projectName: payload.projectName ?? null,
        inviterName: payload.inviterName ?? null,
        roleName: String(payload.roleName),
        expiresAt: String(payload.expiresAt),
        inviteUrl: String(inviteUrl),
      });
    }
    case "invitation-accepted": {
      const payload = stored as Partial<EmailPayloads["invitation-accepted"]>;
      return renderEmail("invitation-accepted", {
        orgName: organizationOf(stored),
        projectName: payload.projectName ?? null,
        inviteeEmail: String(payload.inviteeEmail),
        roleName: String(payload.roleName),
        membersUrl: String(payload.membersUrl),
      });
    }
    case "sign-in-link": {
      const payload = stored as Partial<EmailPayloads["sign-in-link"]>;
      return renderEmail("sign-in-link", {
        url: String((secret as EmailSecrets["sign-in-link"]).url),
        expiresInMinutes: Number(payload.expiresInMinutes ?? 30),
      });
    }
    case "verify-email":
      return renderEmail("verify-email", { url: String((secret as EmailSecrets["verify-email"]).url) });
    case "account-exists":
      return renderEmail("account-exists", { signInUrl: String((stored as Partial<EmailPayloads["account-exists"]>).signInUrl) });
    default:
      throw new Error(`Unknown email kind: ${kind}`);
  }
}
