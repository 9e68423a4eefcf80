// The system roles shared by every organization. Their ids are fixed (seeded by the
// `system_roles` migration) so code and clients can refer to them without a lookup.
export const SYSTEM_ROLES = {
  Owner: "00000000-0000-4000-8000-000000000001",
  Admin: "00000000-0000-4000-8000-000000000002",
  Member: "00000000-0000-4000-8000-000000000003",
} as const;

export type SystemRoleName = keyof typeof SYSTEM_ROLES;
