-- AlterTable
ALTER TABLE "MaRequest" ADD COLUMN "holdReason" TEXT;

-- CreateTable
CREATE TABLE "AuditChain" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "requestId" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seq" INTEGER,
    "prevHash" TEXT NOT NULL DEFAULT '',
    "hash" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "AuditEvent_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "MaRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_AuditEvent" ("action", "actorId", "at", "fromStatus", "id", "note", "requestId", "toStatus") SELECT "action", "actorId", "at", "fromStatus", "id", "note", "requestId", "toStatus" FROM "AuditEvent";
DROP TABLE "AuditEvent";
ALTER TABLE "new_AuditEvent" RENAME TO "AuditEvent";
CREATE UNIQUE INDEX "AuditEvent_seq_key" ON "AuditEvent"("seq");
CREATE INDEX "AuditEvent_requestId_at_idx" ON "AuditEvent"("requestId", "at");
CREATE TABLE "new_WorkbenchEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "actorId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seq" INTEGER,
    "prevHash" TEXT NOT NULL DEFAULT '',
    "hash" TEXT NOT NULL DEFAULT ''
);
INSERT INTO "new_WorkbenchEvent" ("action", "actorId", "at", "id", "note", "subject") SELECT "action", "actorId", "at", "id", "note", "subject" FROM "WorkbenchEvent";
DROP TABLE "WorkbenchEvent";
ALTER TABLE "new_WorkbenchEvent" RENAME TO "WorkbenchEvent";
CREATE UNIQUE INDEX "WorkbenchEvent_seq_key" ON "WorkbenchEvent"("seq");
CREATE INDEX "WorkbenchEvent_at_idx" ON "WorkbenchEvent"("at");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- The chain's head: one row, before any event (seq 0, the genesis hash). Events written before
-- this migration are chained in their time order by `migrate` (sealAuditChain in src/db/audit-chain.ts).
INSERT INTO "AuditChain" ("id", "seq", "hash") VALUES ('audit', 0, '0000000000000000000000000000000000000000000000000000000000000000');
