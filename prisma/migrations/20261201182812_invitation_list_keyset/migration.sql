-- CreateIndex
CREATE INDEX "Invitation_open_org_list_idx" ON "Invitation"("organizationId", "createdAt", "id") WHERE ("projectId" IS NULL AND (status = 'PENDING' OR status = 'DECLINED'));

-- CreateIndex
CREATE INDEX "Invitation_open_project_list_idx" ON "Invitation"("projectId", "createdAt", "id") WHERE ("projectId" IS NOT NULL AND (status = 'PENDING' OR status = 'DECLINED'));
