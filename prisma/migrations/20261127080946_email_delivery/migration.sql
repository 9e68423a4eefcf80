-- AlterTable
ALTER TABLE "EmailOutbox" ADD COLUMN     "batchKey" TEXT;

-- CreateTable
CREATE TABLE "DevMailboxMessage" (
    "id" UUID NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DevMailboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DevMailboxMessage_idempotencyKey_key" ON "DevMailboxMessage"("idempotencyKey");

-- CreateIndex
CREATE INDEX "DevMailboxMessage_createdAt_idx" ON "DevMailboxMessage"("createdAt");

-- CreateIndex
CREATE INDEX "EmailOutbox_batchKey_idx" ON "EmailOutbox"("batchKey");

-- CreateIndex
CREATE INDEX "EmailOutbox_providerId_idx" ON "EmailOutbox"("providerId");
