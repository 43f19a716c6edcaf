-- CreateTable
CREATE TABLE "Person" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "displayName" TEXT NOT NULL DEFAULT '',
    "email" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Identity" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "platform" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL DEFAULT '',
    "personId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Identity_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RoleGrant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "scope" TEXT NOT NULL DEFAULT '',
    "grantedBy" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RoleGrant_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RequestCounter" (
    "year" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "last" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "MaRequest" (
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
    "sourcePlatform" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MaRequest_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "MaRequest_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "requestId" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AuditEvent_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "MaRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RequestCaseLink" (
    "requestId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,

    PRIMARY KEY ("requestId", "caseId"),
    CONSTRAINT "RequestCaseLink_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "MaRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TriageCard" (
    "requestId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("requestId", "platform"),
    CONSTRAINT "TriageCard_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "MaRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Case" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL DEFAULT '',
    "partner" TEXT NOT NULL DEFAULT '',
    "programOffice" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'FMS',
    "category" TEXT NOT NULL DEFAULT '',
    "masked" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Milestone" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "dueDate" TEXT,
    "completedDate" TEXT,
    "note" TEXT NOT NULL DEFAULT '',
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Milestone_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Subscription" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "platform" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ConversationRef" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "platform" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "identityKey" TEXT,
    "reference" TEXT NOT NULL DEFAULT '{}',
    "dead" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ReminderOutbox" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "subjectKey" TEXT NOT NULL,
    "dueDate" TEXT NOT NULL,
    "offsetDays" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedBy" TEXT,
    "claimedUntil" DATETIME,
    "sentAt" DATETIME,
    "lastError" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "IdempotencyKey" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "resultId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Identity_personId_idx" ON "Identity"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "Identity_platform_externalId_key" ON "Identity"("platform", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "RoleGrant_personId_role_scope_key" ON "RoleGrant"("personId", "role", "scope");

-- CreateIndex
CREATE UNIQUE INDEX "MaRequest_number_key" ON "MaRequest"("number");

-- CreateIndex
CREATE INDEX "MaRequest_requesterId_idx" ON "MaRequest"("requesterId");

-- CreateIndex
CREATE INDEX "MaRequest_status_createdAt_idx" ON "MaRequest"("status", "createdAt");

-- CreateIndex
CREATE INDEX "MaRequest_leadId_status_idx" ON "MaRequest"("leadId", "status");

-- CreateIndex
CREATE INDEX "MaRequest_scheduledStart_idx" ON "MaRequest"("scheduledStart");

-- CreateIndex
CREATE UNIQUE INDEX "MaRequest_year_seq_key" ON "MaRequest"("year", "seq");

-- CreateIndex
CREATE INDEX "AuditEvent_requestId_at_idx" ON "AuditEvent"("requestId", "at");

-- CreateIndex
CREATE INDEX "RequestCaseLink_caseId_idx" ON "RequestCaseLink"("caseId");

-- CreateIndex
CREATE INDEX "Milestone_dueDate_idx" ON "Milestone"("dueDate");

-- CreateIndex
CREATE UNIQUE INDEX "Milestone_caseId_type_key" ON "Milestone"("caseId", "type");

-- CreateIndex
CREATE INDEX "Subscription_targetType_targetId_idx" ON "Subscription"("targetType", "targetId");

-- CreateIndex
CREATE UNIQUE INDEX "Subscription_platform_conversationId_targetType_targetId_key" ON "Subscription"("platform", "conversationId", "targetType", "targetId");

-- CreateIndex
CREATE INDEX "ConversationRef_identityKey_idx" ON "ConversationRef"("identityKey");

-- CreateIndex
CREATE UNIQUE INDEX "ConversationRef_platform_conversationId_key" ON "ConversationRef"("platform", "conversationId");

-- CreateIndex
CREATE INDEX "ReminderOutbox_status_nextAttemptAt_idx" ON "ReminderOutbox"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReminderOutbox_subjectKey_dueDate_offsetDays_platform_conversationId_key" ON "ReminderOutbox"("subjectKey", "dueDate", "offsetDays", "platform", "conversationId");
