-- DropForeignKey
ALTER TABLE "ApiKey" DROP CONSTRAINT "ApiKey_createdByUserId_fkey";

-- DropIndex
DROP INDEX "RateLimitBucket_windowStart_idx";

-- AlterTable: existing counters were all one-minute windows.
ALTER TABLE "RateLimitBucket" ADD COLUMN     "expiresAt" TIMESTAMP(3);
UPDATE "RateLimitBucket" SET "expiresAt" = "windowStart" + interval '1 minute';
ALTER TABLE "RateLimitBucket" ALTER COLUMN "expiresAt" SET NOT NULL;

-- CreateTable
CREATE TABLE "UserSession" (
    "id" UUID NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UserSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UserSession_userId_idx" ON "UserSession"("userId");

-- CreateIndex
CREATE INDEX "WebhookEvent_receivedAt_idx" ON "WebhookEvent"("receivedAt");

-- CreateIndex
CREATE INDEX "RateLimitBucket_expiresAt_idx" ON "RateLimitBucket"("expiresAt");

-- AddForeignKey
ALTER TABLE "UserSession" ADD CONSTRAINT "UserSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_createdByUserId_fkey" FOREIGN KEY ("createdByUserId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Data: a key minted through the API by another key acts as that key's creator (contract §5).
-- Before, such keys were stored without a creator, which now means "operator key, acts as the
-- Owner". Follow each one's org.apiKeys.create audit event back to a key with a creator (or to
-- an operator key, registered by provisioning); a key whose lineage cannot be traced is
-- deactivated rather than left with the Owner's rights.
CREATE TEMP TABLE "_minted_by_key" ON COMMIT DROP AS
WITH RECURSIVE chain AS (
    SELECT k.id AS key_id, a."actorId" AS via, 1 AS depth
      FROM "ApiKey" k
      JOIN "AuditEvent" a ON a.action = 'org.apiKeys.create' AND a."targetType" = 'apiKey'
                         AND a."targetId" = k.id::text AND a."actorType" = 'apiKey'
     WHERE k."createdByUserId" IS NULL
    UNION ALL
    SELECT c.key_id, a."actorId", c.depth + 1
      FROM chain c
      JOIN "ApiKey" p ON p.id::text = c.via AND p."createdByUserId" IS NULL
      JOIN "AuditEvent" a ON a.action = 'org.apiKeys.create' AND a."targetType" = 'apiKey'
                         AND a."targetId" = p.id::text AND a."actorType" = 'apiKey'
     WHERE c.depth < 100
)
SELECT key_id, via, depth FROM chain;

UPDATE "ApiKey" k SET "createdByUserId" = r.creator
  FROM (SELECT DISTINCT ON (c.key_id) c.key_id, p."createdByUserId" AS creator
          FROM "_minted_by_key" c
          JOIN "ApiKey" p ON p.id::text = c.via AND p."createdByUserId" IS NOT NULL
         ORDER BY c.key_id, c.depth) r
 WHERE k.id = r.key_id;

-- Still without a creator: fine when the chain ends at a key provisioning registered (an
-- operator key minted it); otherwise deactivated.
UPDATE "ApiKey" k SET valid = false
 WHERE k."createdByUserId" IS NULL
   AND k.id IN (SELECT key_id FROM "_minted_by_key")
   AND k.id NOT IN (SELECT c.key_id
                      FROM "_minted_by_key" c
                      JOIN "AuditEvent" a ON a.action = 'org.apiKeys.create' AND a."targetType" = 'apiKey'
                                         AND a."targetId" = c.via AND a."actorType" = 'system');
