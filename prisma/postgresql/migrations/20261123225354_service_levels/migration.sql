-- AlterTable
ALTER TABLE "MaRequest" ADD COLUMN     "statusSince" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "MaRequest_status_statusSince_idx" ON "MaRequest"("status", "statusSince");

-- Backfill: when each request entered its current status, from the audit trail (its
-- latest status-changing event into that status), else when it was filed.
UPDATE "MaRequest" SET "statusSince" = COALESCE(
    (SELECT MAX(e."at") FROM "AuditEvent" e
      WHERE e."requestId" = "MaRequest"."id" AND e."toStatus" = "MaRequest"."status"
        AND (e."fromStatus" IS NULL OR e."fromStatus" <> e."toStatus")),
    "MaRequest"."createdAt");
