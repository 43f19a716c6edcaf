-- CreateTable
CREATE TABLE "Outbox" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedBy" TEXT,
    "claimedUntil" DATETIME,
    "sentAt" DATETIME,
    "lastError" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Reminders already planned move into the one outbox, keeping their state.
INSERT INTO "Outbox" ("id", "kind", "subjectKey", "dueDate", "offsetDays", "platform", "conversationId", "dedupeKey", "status", "attempts", "nextAttemptAt", "claimedBy", "claimedUntil", "sentAt", "lastError", "createdAt")
SELECT "id", 'reminder', "subjectKey", "dueDate", "offsetDays", "platform", "conversationId",
       'reminder:' || "subjectKey" || ':' || "dueDate" || ':' || "offsetDays" || ':' || "platform" || ':' || "conversationId",
       "status", "attempts", "nextAttemptAt", "claimedBy", "claimedUntil", "sentAt", "lastError", "createdAt"
FROM "ReminderOutbox";

-- DropIndex
DROP INDEX "ReminderOutbox_subjectKey_dueDate_offsetDays_platform_conversationId_key";

-- DropIndex
DROP INDEX "ReminderOutbox_status_nextAttemptAt_idx";

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "ReminderOutbox";
PRAGMA foreign_keys=on;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_TriageCard" (
    "requestId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "drawnVersion" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("requestId", "platform"),
    CONSTRAINT "TriageCard_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "MaRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_TriageCard" ("conversationId", "messageId", "platform", "requestId", "updatedAt") SELECT "conversationId", "messageId", "platform", "requestId", "updatedAt" FROM "TriageCard";
DROP TABLE "TriageCard";
ALTER TABLE "new_TriageCard" RENAME TO "TriageCard";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Outbox_dedupeKey_key" ON "Outbox"("dedupeKey");

-- CreateIndex
CREATE INDEX "Outbox_status_nextAttemptAt_idx" ON "Outbox"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Outbox_subjectKey_kind_status_idx" ON "Outbox"("subjectKey", "kind", "status");
