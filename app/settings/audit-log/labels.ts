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
  "project.create": "Project created",
  "project.update": "Project renamed / described",
  "project.delete": "Project deleted",
  "project.apiKeys.create": "Project API key created",
  "project.apiKeys.update": "Project API key activated / deactivated",
  "project.apiKeys.delete": "Project API key deleted",
  "project.members.role.update": "Project role changed",
  "project.members.remove": "Removed from a project",
  "project.invitations.create": "Project invitation sent",
  "project.invitations.resend": "Project invitation resent",
  "project.invitations.revoke": "Project invitation revoked",
  "project.invitations.accept": "Project invitation accepted",
  "project.invitations.decline": "Project invitation declined",
  "project.roles.create": "Project role created",
  "project.roles.update": "Project role edited",
  "project.roles.delete": "Project role deleted",
  "project.policies.create": "Project policy created",
  "project.policies.update": "Project policy edited",
  "project.policies.delete": "Project policy deleted",
  "org.governance.create": "Governance policy created",
  "org.governance.update": "Governance policy edited",
  "org.governance.delete": "Governance policy deleted",
  "org.governance.assign": "Project assigned to a governance policy",
  "org.governance.unassign": "Project taken off a governance policy",
};

export const actionLabel = (action: string) => ACTION_LABELS[action] ?? action;

/** A key's update event says which way it went, when the metadata records it. */
export function eventLabel(action: string, metadata: unknown): string {
  if ((action === "org.apiKeys.update" || action === "project.apiKeys.update") && metadata && typeof metadata === "object") {
    const valid = (metadata as { valid?: { to?: unknown } }).valid?.to;
    const key = action === "project.apiKeys.update" ? "Project API key" : "API key";
    if (valid === true) return `${key} reactivated`;
    if (valid === false) return `${key} deactivated`;
  }
  return actionLabel(action);
}
