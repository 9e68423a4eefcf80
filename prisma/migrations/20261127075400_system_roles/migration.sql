-- Seed the system roles shared by every organization, with the fixed ids of
-- lib/db/system-roles.ts. organizationId NULL marks a system role.
INSERT INTO "Role" ("id", "organizationId", "name", "description") VALUES
  ('00000000-0000-4000-8000-000000000001', NULL, 'Owner', 'Full control of the organization, including ownership and billing'),
  ('00000000-0000-4000-8000-000000000002', NULL, 'Admin', 'Manages members, invitations, roles and API keys; cannot change ownership'),
  ('00000000-0000-4000-8000-000000000003', NULL, 'Member', 'Read access to the organization');
