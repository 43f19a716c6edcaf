-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "contactCheckedAt" TIMESTAMP(3),
ADD COLUMN     "timeZone" TEXT;
