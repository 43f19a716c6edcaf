-- AlterTable
ALTER TABLE "Milestone" ADD COLUMN "completedAt" DATETIME;
ALTER TABLE "Milestone" ADD COLUMN "completedById" TEXT;
