-- CreateTable
CREATE TABLE "ReplyTemplate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AwayPeriod" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "fromDay" TEXT NOT NULL,
    "toDay" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "backupId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AwayPeriod_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AwayPeriod_backupId_fkey" FOREIGN KEY ("backupId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Skill" (
    "personId" TEXT NOT NULL,
    "tag" TEXT NOT NULL,

    PRIMARY KEY ("personId", "tag"),
    CONSTRAINT "Skill_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WorkbenchEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "actorId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "ReplyTemplate_nameKey_key" ON "ReplyTemplate"("nameKey");

-- CreateIndex
CREATE INDEX "AwayPeriod_personId_toDay_idx" ON "AwayPeriod"("personId", "toDay");

-- CreateIndex
CREATE INDEX "AwayPeriod_toDay_idx" ON "AwayPeriod"("toDay");

-- CreateIndex
CREATE INDEX "WorkbenchEvent_at_idx" ON "WorkbenchEvent"("at");
