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

-- AlterTable (an added column, not a redefinition: a copy of the table would drop the
-- columns an earlier migration of the same day added, stageCreditDays and duplicateOfId)
ALTER TABLE "MaRequest" ADD COLUMN "calendarSequence" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE UNIQUE INDEX "Survey_requestId_key" ON "Survey"("requestId");

-- CreateIndex
CREATE INDEX "Survey_sentAt_idx" ON "Survey"("sentAt");
