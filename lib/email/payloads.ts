// What each kind of queued email carries: the non-secret payload stored as is, and the secret
// part (links) stored sealed. One definition per kind, used both when a message is queued
// (lib/services/outbox.ts) and when it is rendered (lib/email/messages.ts), so the two cannot
// drift apart (they once disagreed on orgName / organizationName).
export interface EmailPayloads {
  invitation: {
    organizationName: string;
    /** Set for an invitation to a project of the organization. */
    projectName: string | null;
    inviterName: string | null;
    roleName: string;
    /** ISO 8601. */
    expiresAt: string;
  };
  "invitation-accepted": {
    organizationName: string;
    projectName: string | null;
    inviteeEmail: string;
    roleName: string;
    /** Where the inviter manages the new member; built from APP_URL, nothing secret. */
    membersUrl: string;
  };
  "sign-in-link": { expiresInMinutes: number };
  "verify-email": Record<string, never>;
  "account-exists": { signInUrl: string };
}

export interface EmailSecrets {
  invitation: { inviteUrl: string };
  "invitation-accepted": null;
  "sign-in-link": { url: string };
  "verify-email": { url: string };
  "account-exists": null;
}

export type OutboxKind = keyof EmailPayloads;
