-- The fixed permission catalogue (`resource:action`) and the system policies behind the
-- system roles: Owner and Admin hold every permission, Member the `:read` ones. Policy ids are
-- fixed (lib/db/system-roles.ts).
INSERT INTO "Permission" ("id", "name", "description")
SELECT gen_random_uuid(), v.name, v.description FROM (VALUES
  ('organization:read', 'View organization settings'),
  ('organization:manage', 'Change organization settings'),
  ('user:read', 'View members and invitations'),
  ('user:manage', 'Change members and invitations'),
  ('apiKey:read', 'View organization API keys'),
  ('apiKey:manage', 'Change organization API keys'),
  ('iam:read', 'View roles and policies'),
  ('iam:manage', 'Change roles and policies'),
  ('billing:read', 'View billing and plan'),
  ('billing:manage', 'Change billing and plan'),
  ('project:read', 'View projects'),
  ('project:manage', 'Change projects'),
  ('featureAccess:read', 'View feature access'),
  ('featureAccess:manage', 'Change feature access'),
  ('sso:read', 'View single sign-on'),
  ('sso:manage', 'Change single sign-on'),
  ('modelCredential:read', 'View model provider credentials'),
  ('modelCredential:manage', 'Change model provider credentials'),
  ('modelCost:read', 'View model costs'),
  ('modelCost:manage', 'Change model costs'),
  ('metric:read', 'View metrics'),
  ('metric:manage', 'Change metrics'),
  ('retentionConfig:read', 'View data retention settings'),
  ('retentionConfig:manage', 'Change data retention settings'),
  ('user:delete', 'Remove members from the organization'),
  ('project:create', 'Create projects')
) AS v(name, description);

INSERT INTO "Policy" ("id", "organizationId", "name", "description") VALUES
  ('00000000-0000-4000-8000-000000000101', NULL, 'Full access', 'Every permission'),
  ('00000000-0000-4000-8000-000000000102', NULL, 'Read only', 'Every read permission');

INSERT INTO "PolicyPermission" ("policyId", "permissionId")
SELECT '00000000-0000-4000-8000-000000000101', id FROM "Permission";

INSERT INTO "PolicyPermission" ("policyId", "permissionId")
SELECT '00000000-0000-4000-8000-000000000102', id FROM "Permission" WHERE name LIKE '%:read';

INSERT INTO "RolePolicy" ("roleId", "policyId") VALUES
  ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000101'),
  ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000101'),
  ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000102');
