// What each audit action means, in words; the machine name is shown alongside.
const ACTION_LABELS: Record<string, string> = {
  "org.create": "Organization created",
  "org.update": "Organization renamed",
  "org.invitations.create": "Invitation sent",
  "org.invitations.resend": "Invitation resent",
  "org.invitations.revoke": "Invitation revoked",
  "org.invitations.accept": "Invitation accepted",
  "org.invitations.decline": "Invitation declined",
  "org.members.role.update": "Member role changed",
  "org.members.remove": "Member removed",
  "org.apiKeys.create": "API key created",
  "org.apiKeys.update": "API key activated / deactivated",
  "org.apiKeys.delete": "API key deleted",
  "org.roles.create": "Role created",
  "org.roles.update": "Role edited",
  "org.roles.delete": "Role deleted",
  "org.policies.create": "Policy created",
  "org.policies.update": "Policy edited",
  "org.policies.delete": "Policy deleted",
};

export const actionLabel = (action: string) => ACTION_LABELS[action] ?? action;

/** `2026-01-03 14:22:05 UTC`: sortable, unambiguous, the same for every viewer. */
export const formatUtc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

/** A key's update event says which way it went, when the metadata records it. */
export function eventLabel(action: string, metadata: unknown): string {
  if (action === "org.apiKeys.update" && metadata && typeof metadata === "object") {
    const valid = (metadata as { valid?: { to?: unknown } }).valid?.to;
    if (valid === true) return "API key reactivated";
    if (valid === false) return "API key deactivated";
  }
  return actionLabel(action);
}
