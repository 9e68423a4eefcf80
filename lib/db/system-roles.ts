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
