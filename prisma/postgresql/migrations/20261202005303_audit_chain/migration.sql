-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "hash" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "prevHash" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "seq" INTEGER;

-- AlterTable
ALTER TABLE "MaRequest" ADD COLUMN     "holdReason" TEXT;

-- AlterTable
ALTER TABLE "WorkbenchEvent" ADD COLUMN     "hash" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "prevHash" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "seq" INTEGER;

-- CreateTable
CREATE TABLE "AuditChain" (
    "id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditChain_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_seq_key" ON "AuditEvent"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "WorkbenchEvent_seq_key" ON "WorkbenchEvent"("seq");

-- The chain's head: one row, before any event (seq 0, the genesis hash). Events written before
-- this migration are chained in their time order by `migrate` (sealAuditChain in src/db/audit-chain.ts).
INSERT INTO "AuditChain" ("id", "seq", "hash") VALUES ('audit', 0, '0000000000000000000000000000000000000000000000000000000000000000');
