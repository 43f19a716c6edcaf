-- AlterTable
ALTER TABLE "TriageCard" ADD COLUMN     "drawnVersion" INTEGER NOT NULL DEFAULT 0;


-- CreateTable
CREATE TABLE "Outbox" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectKey" TEXT NOT NULL,
    "dueDate" TEXT NOT NULL DEFAULT '',
    "offsetDays" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,
    "platform" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "dedupeKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedBy" TEXT,
    "claimedUntil" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "lastError" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Outbox_dedupeKey_key" ON "Outbox"("dedupeKey");

-- CreateIndex
CREATE INDEX "Outbox_status_nextAttemptAt_idx" ON "Outbox"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Outbox_subjectKey_kind_status_idx" ON "Outbox"("subjectKey", "kind", "status");

-- Reminders already planned move into the one outbox, keeping their state.
INSERT INTO "Outbox" ("id", "kind", "subjectKey", "dueDate", "offsetDays", "platform", "conversationId", "dedupeKey", "status", "attempts", "nextAttemptAt", "claimedBy", "claimedUntil", "sentAt", "lastError", "createdAt")
SELECT "id", 'reminder', "subjectKey", "dueDate", "offsetDays", "platform", "conversationId",
       'reminder:' || "subjectKey" || ':' || "dueDate" || ':' || "offsetDays" || ':' || "platform" || ':' || "conversationId",
       "status", "attempts", "nextAttemptAt", "claimedBy", "claimedUntil", "sentAt", "lastError", "createdAt"
FROM "ReminderOutbox";

-- DropTable
DROP TABLE "ReminderOutbox";
