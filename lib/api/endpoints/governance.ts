// /v1 endpoints: governance policies.
export const governanceEndpoints = {};
