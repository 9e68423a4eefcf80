-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "writeVersion" INTEGER NOT NULL DEFAULT 0;
