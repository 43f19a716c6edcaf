-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Outbox" (
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
    "snoozes" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Outbox" ("attempts", "body", "claimedBy", "claimedUntil", "conversationId", "createdAt", "dedupeKey", "dueDate", "id", "kind", "lastError", "nextAttemptAt", "offsetDays", "platform", "sentAt", "status", "subjectKey", "version") SELECT "attempts", "body", "claimedBy", "claimedUntil", "conversationId", "createdAt", "dedupeKey", "dueDate", "id", "kind", "lastError", "nextAttemptAt", "offsetDays", "platform", "sentAt", "status", "subjectKey", "version" FROM "Outbox";
DROP TABLE "Outbox";
ALTER TABLE "new_Outbox" RENAME TO "Outbox";
CREATE UNIQUE INDEX "Outbox_dedupeKey_key" ON "Outbox"("dedupeKey");
CREATE INDEX "Outbox_status_nextAttemptAt_idx" ON "Outbox"("status", "nextAttemptAt");
CREATE INDEX "Outbox_subjectKey_kind_status_idx" ON "Outbox"("subjectKey", "kind", "status");
CREATE TABLE "new_Subscription" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "platform" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "disabledReason" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Subscription" ("conversationId", "createdAt", "createdById", "id", "platform", "targetId", "targetType") SELECT "conversationId", "createdAt", "createdById", "id", "platform", "targetId", "targetType" FROM "Subscription";
DROP TABLE "Subscription";
ALTER TABLE "new_Subscription" RENAME TO "Subscription";
CREATE INDEX "Subscription_targetType_targetId_idx" ON "Subscription"("targetType", "targetId");
CREATE UNIQUE INDEX "Subscription_platform_conversationId_targetType_targetId_key" ON "Subscription"("platform", "conversationId", "targetType", "targetId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
