// The system roles and policies shared by every organization. Their ids are fixed (seeded by
// the `system_roles` and `permission_catalogue` migrations) so code and clients can refer to
// them without a lookup.
export const SYSTEM_ROLES = {
  Owner: "00000000-0000-4000-8000-000000000001",
  Admin: "00000000-0000-4000-8000-000000000002",
  Member: "00000000-0000-4000-8000-000000000003",
} as const;

export type SystemRoleName = keyof typeof SYSTEM_ROLES;

export const SYSTEM_ROLE_NAMES = Object.keys(SYSTEM_ROLES) as SystemRoleName[];

export const SYSTEM_POLICIES = {
  FullAccess: "00000000-0000-4000-8000-000000000101",
  ReadOnly: "00000000-0000-4000-8000-000000000102",
} as const;

// The system project roles and policies (scope PROJECT), seeded by the `projects` migration.
export const PROJECT_ROLES = {
  Owner: "00000000-0000-4000-8000-000000000011",
  Manager: "00000000-0000-4000-8000-000000000012",
  Member: "00000000-0000-4000-8000-000000000013",
} as const;

export type ProjectRoleName = keyof typeof PROJECT_ROLES;

export const PROJECT_POLICIES = {
  FullAccess: "00000000-0000-4000-8000-000000000111",
  Contributor: "00000000-0000-4000-8000-000000000112",
} as const;

/** The Owner role of either scope: out of reach of ordinary role changes and removals. */
export const OWNER_ROLE_IDS: readonly string[] = [SYSTEM_ROLES.Owner, PROJECT_ROLES.Owner];
