-- CreateIndex
CREATE UNIQUE INDEX "Membership_one_owner_key" ON "Membership"("organizationId") WHERE ("roleId" = '00000000-0000-4000-8000-000000000001'::uuid);
