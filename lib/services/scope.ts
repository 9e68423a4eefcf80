// What a management call is about: the organization, or one of its projects. One definition for
// every engine that serves both (invitations, roles and policies, API keys).
import "server-only";
export type OrganizationScope = { kind: "organization" };
export type ProjectScope = { kind: "project"; projectId: string };
export type Scope = OrganizationScope | ProjectScope;

export const ORGANIZATION_SCOPE: OrganizationScope = { kind: "organization" };
export const projectScope = (projectId: string): ProjectScope => ({ kind: "project", projectId });
