-- AlterTable
ALTER TABLE "Person" ADD COLUMN "contactCheckedAt" DATETIME;
ALTER TABLE "Person" ADD COLUMN "timeZone" TEXT;
