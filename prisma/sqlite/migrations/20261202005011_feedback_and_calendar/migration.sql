-- CreateTable
CREATE TABLE "Survey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "requestId" TEXT NOT NULL,
    "sentAt" DATETIME NOT NULL,
    "expiresOn" TEXT NOT NULL,
    "rating" INTEGER,
    "comment" TEXT NOT NULL DEFAULT '',
    "answeredById" TEXT,
    "answeredAt" DATETIME,
    CONSTRAINT "Survey_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "MaRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_MaRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "number" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "requesterId" TEXT NOT NULL,
    "organization" TEXT NOT NULL,
    "component" TEXT NOT NULL,
    "program" TEXT NOT NULL,
    "effortTypes" TEXT NOT NULL,
    "supportType" TEXT NOT NULL,
    "lifecyclePhase" TEXT NOT NULL,
    "problemStatement" TEXT NOT NULL,
    "desiredOutcome" TEXT NOT NULL DEFAULT '',
    "audienceSize" INTEGER NOT NULL,
    "preferredStart" TEXT NOT NULL,
    "preferredEnd" TEXT NOT NULL,
    "deliveryMode" TEXT NOT NULL,
    "location" TEXT NOT NULL DEFAULT '',
    "travelFunded" BOOLEAN NOT NULL DEFAULT false,
    "pocName" TEXT NOT NULL,
    "pocEmail" TEXT NOT NULL,
    "eligibilityCheck" BOOLEAN NOT NULL DEFAULT false,
    "leadId" TEXT,
    "scheduledStart" TEXT,
    "scheduledEnd" TEXT,
    "declineReason" TEXT,
    "question" TEXT,
    "calendarSequence" INTEGER NOT NULL DEFAULT 0,
    "sourcePlatform" TEXT NOT NULL DEFAULT '',
    "statusSince" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MaRequest_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "MaRequest_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_MaRequest" ("audienceSize", "component", "createdAt", "declineReason", "deliveryMode", "desiredOutcome", "effortTypes", "eligibilityCheck", "id", "leadId", "lifecyclePhase", "location", "number", "organization", "pocEmail", "pocName", "preferredEnd", "preferredStart", "problemStatement", "program", "question", "requesterId", "scheduledEnd", "scheduledStart", "seq", "sourcePlatform", "status", "statusSince", "supportType", "travelFunded", "updatedAt", "version", "year") SELECT "audienceSize", "component", "createdAt", "declineReason", "deliveryMode", "desiredOutcome", "effortTypes", "eligibilityCheck", "id", "leadId", "lifecyclePhase", "location", "number", "organization", "pocEmail", "pocName", "preferredEnd", "preferredStart", "problemStatement", "program", "question", "requesterId", "scheduledEnd", "scheduledStart", "seq", "sourcePlatform", "status", "statusSince", "supportType", "travelFunded", "updatedAt", "version", "year" FROM "MaRequest";
DROP TABLE "MaRequest";
ALTER TABLE "new_MaRequest" RENAME TO "MaRequest";
CREATE UNIQUE INDEX "MaRequest_number_key" ON "MaRequest"("number");
CREATE INDEX "MaRequest_requesterId_idx" ON "MaRequest"("requesterId");
CREATE INDEX "MaRequest_status_createdAt_idx" ON "MaRequest"("status", "createdAt");
CREATE INDEX "MaRequest_status_statusSince_idx" ON "MaRequest"("status", "statusSince");
CREATE INDEX "MaRequest_leadId_status_idx" ON "MaRequest"("leadId", "status");
CREATE INDEX "MaRequest_scheduledStart_idx" ON "MaRequest"("scheduledStart");
CREATE UNIQUE INDEX "MaRequest_year_seq_key" ON "MaRequest"("year", "seq");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Survey_requestId_key" ON "Survey"("requestId");

-- CreateIndex
CREATE INDEX "Survey_sentAt_idx" ON "Survey"("sentAt");
