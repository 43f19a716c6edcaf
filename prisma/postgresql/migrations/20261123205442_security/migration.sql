-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN     "snoozes" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Subscription" ADD COLUMN     "disabledReason" TEXT NOT NULL DEFAULT '';
