-- CreateEnum
CREATE TYPE "IamScope" AS ENUM ('ORGANIZATION', 'PROJECT');

-- CreateEnum
CREATE TYPE "GovernanceControlType" AS ENUM ('RUNTIME', 'PRE_DEPLOYMENT_EVALS', 'PRE_DEPLOYMENT_RED_TEAMING', 'OPERATIONAL');

-- DropForeignKey
ALTER TABLE "Invitation" DROP CONSTRAINT "Invitation_roleId_fkey";

-- DropIndex
DROP INDEX "Invitation_open_org_email_key";

-- DropIndex
DROP INDEX "Permission_name_key";

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "projectId" TEXT;

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "projectId" TEXT;

-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN     "projectId" TEXT;

-- AlterTable
ALTER TABLE "Permission" ADD COLUMN     "scope" "IamScope" NOT NULL DEFAULT 'ORGANIZATION';

-- AlterTable
ALTER TABLE "Policy" ADD COLUMN     "projectId" TEXT,
ADD COLUMN     "scope" "IamScope" NOT NULL DEFAULT 'ORGANIZATION';

-- AlterTable
ALTER TABLE "Role" ADD COLUMN     "projectId" TEXT,
ADD COLUMN     "scope" "IamScope" NOT NULL DEFAULT 'ORGANIZATION';

-- CreateTable
CREATE TABLE "Project" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "governancePolicyId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectMembership" (
    "projectId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "roleId" UUID NOT NULL,
    "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectMembership_pkey" PRIMARY KEY ("projectId","userId")
);

-- CreateTable
CREATE TABLE "GovernancePolicy" (
    "id" UUID NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GovernancePolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GovernanceControl" (
    "id" UUID NOT NULL,
    "policyId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" "GovernanceControlType" NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "GovernanceControl_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Project_organizationId_createdAt_idx" ON "Project"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "Project_governancePolicyId_idx" ON "Project"("governancePolicyId");

-- CreateIndex
CREATE UNIQUE INDEX "Project_organizationId_name_key" ON "Project"("organizationId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Project_id_organizationId_key" ON "Project"("id", "organizationId");

-- CreateIndex
CREATE INDEX "ProjectMembership_projectId_joinedAt_idx" ON "ProjectMembership"("projectId", "joinedAt");

-- CreateIndex
CREATE INDEX "ProjectMembership_organizationId_userId_idx" ON "ProjectMembership"("organizationId", "userId");

-- CreateIndex
CREATE INDEX "ProjectMembership_userId_idx" ON "ProjectMembership"("userId");

-- CreateIndex
CREATE INDEX "ProjectMembership_roleId_idx" ON "ProjectMembership"("roleId");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectMembership_one_owner_key" ON "ProjectMembership"("projectId") WHERE ("roleId" = '00000000-0000-4000-8000-000000000011'::uuid);

-- CreateIndex
CREATE UNIQUE INDEX "GovernancePolicy_organizationId_name_key" ON "GovernancePolicy"("organizationId", "name");

-- CreateIndex
CREATE INDEX "GovernanceControl_policyId_position_idx" ON "GovernanceControl"("policyId", "position");

-- CreateIndex
CREATE INDEX "ApiKey_projectId_createdAt_idx" ON "ApiKey"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_projectId_createdAt_idx" ON "AuditEvent"("organizationId", "projectId", "createdAt");

-- CreateIndex
CREATE INDEX "Invitation_projectId_status_createdAt_idx" ON "Invitation"("projectId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Invitation_email_status_idx" ON "Invitation"("email", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_open_org_email_key" ON "Invitation"("organizationId", "email") WHERE ("projectId" IS NULL AND (status = 'PENDING' OR status = 'DECLINED'));

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_open_project_email_key" ON "Invitation"("projectId", "email") WHERE ("projectId" IS NOT NULL AND (status = 'PENDING' OR status = 'DECLINED'));

-- CreateIndex
CREATE UNIQUE INDEX "Permission_scope_name_key" ON "Permission"("scope", "name");

-- CreateIndex
CREATE INDEX "Policy_scope_idx" ON "Policy"("scope");

-- CreateIndex
CREATE UNIQUE INDEX "Policy_projectId_name_key" ON "Policy"("projectId", "name");

-- CreateIndex
CREATE INDEX "Role_scope_idx" ON "Role"("scope");

-- CreateIndex
CREATE UNIQUE INDEX "Role_projectId_name_key" ON "Role"("projectId", "name");

-- AddForeignKey
ALTER TABLE "Role" ADD CONSTRAINT "Role_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Policy" ADD CONSTRAINT "Policy_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_governancePolicyId_fkey" FOREIGN KEY ("governancePolicyId") REFERENCES "GovernancePolicy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectMembership" ADD CONSTRAINT "ProjectMembership_projectId_organizationId_fkey" FOREIGN KEY ("projectId", "organizationId") REFERENCES "Project"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectMembership" ADD CONSTRAINT "ProjectMembership_organizationId_userId_fkey" FOREIGN KEY ("organizationId", "userId") REFERENCES "Membership"("organizationId", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectMembership" ADD CONSTRAINT "ProjectMembership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectMembership" ADD CONSTRAINT "ProjectMembership_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "Role"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GovernancePolicy" ADD CONSTRAINT "GovernancePolicy_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GovernanceControl" ADD CONSTRAINT "GovernanceControl_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "GovernancePolicy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "Role"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Data: the project permission catalogue (`resource:action`, scope PROJECT), the system project
-- policies and the system project roles, with the fixed ids of lib/db/system-roles.ts.
INSERT INTO "Permission" ("id", "scope", "name", "description")
SELECT gen_random_uuid(), 'PROJECT', r.resource || ':' || a.action,
       CASE a.action WHEN 'read' THEN 'View ' ELSE 'Change ' END || r.label
  FROM (VALUES
    ('dataset', 'datasets'), ('golden', 'goldens'), ('metric', 'metrics'), ('metricCollection', 'metric collections'),
    ('evaluationRule', 'evaluation rules'), ('trace', 'traces'), ('span', 'spans'), ('thread', 'threads'),
    ('endUser', 'end users'), ('testRun', 'test runs'), ('testCase', 'test cases'), ('experiment', 'experiments'),
    ('prompt', 'prompts'), ('promptVersion', 'prompt versions'), ('promptLabel', 'prompt labels'),
    ('annotationQueue', 'annotation queues'), ('project', 'project settings'), ('apiKey', 'project API keys'),
    ('modelCredential', 'model provider credentials'), ('modelCost', 'model costs'),
    ('evaluationModel', 'evaluation models'), ('retentionConfig', 'data retention settings'),
    ('iam', 'project roles and policies'), ('transformer', 'transformers'), ('aiConnection', 'AI connections'),
    ('alertConfig', 'alert configurations'), ('integration', 'integrations'), ('user', 'project members and invitations')
  ) AS r(resource, label)
 CROSS JOIN (VALUES ('read'), ('manage')) AS a(action);

INSERT INTO "Permission" ("id", "scope", "name", "description") VALUES
  (gen_random_uuid(), 'PROJECT', 'project:delete', 'Delete the project'),
  (gen_random_uuid(), 'PROJECT', 'user:delete', 'Remove members from the project'),
  (gen_random_uuid(), 'PROJECT', 'trace:evaluate', 'Run evaluations on traces');

INSERT INTO "Policy" ("id", "scope", "organizationId", "projectId", "name", "description") VALUES
  ('00000000-0000-4000-8000-000000000111', 'PROJECT', NULL, NULL, 'Project full access', 'Every project permission'),
  ('00000000-0000-4000-8000-000000000112', 'PROJECT', NULL, NULL, 'Project contributor',
   'Every project permission except deleting the project, retention settings, members and roles');

INSERT INTO "PolicyPermission" ("policyId", "permissionId")
SELECT '00000000-0000-4000-8000-000000000111', id FROM "Permission" WHERE scope = 'PROJECT';

INSERT INTO "PolicyPermission" ("policyId", "permissionId")
SELECT '00000000-0000-4000-8000-000000000112', id FROM "Permission"
 WHERE scope = 'PROJECT'
   AND name NOT IN ('project:delete', 'retentionConfig:manage', 'user:manage', 'user:delete', 'iam:manage');

INSERT INTO "Role" ("id", "scope", "organizationId", "projectId", "name", "description") VALUES
  ('00000000-0000-4000-8000-000000000011', 'PROJECT', NULL, NULL, 'Owner', 'Full control of the project, including its deletion'),
  ('00000000-0000-4000-8000-000000000012', 'PROJECT', NULL, NULL, 'Manager', 'Every project permission; cannot remove the Owner or become Owner'),
  ('00000000-0000-4000-8000-000000000013', 'PROJECT', NULL, NULL, 'Member', 'Works in the project; cannot delete it or manage its members and roles');

INSERT INTO "RolePolicy" ("roleId", "policyId") VALUES
  ('00000000-0000-4000-8000-000000000011', '00000000-0000-4000-8000-000000000111'),
  ('00000000-0000-4000-8000-000000000012', '00000000-0000-4000-8000-000000000111'),
  ('00000000-0000-4000-8000-000000000013', '00000000-0000-4000-8000-000000000112');
