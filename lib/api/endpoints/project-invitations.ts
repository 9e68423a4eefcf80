// /v1 endpoints: project invitations.
export const projectInvitationEndpoints = {};
