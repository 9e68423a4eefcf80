// /v1 endpoints: projects and project API keys (owned by the projects work).
export const projectEndpoints = {};
