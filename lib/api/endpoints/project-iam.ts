// /v1 endpoints: project members, roles, policies and permissions.
export const projectIamEndpoints = {};
