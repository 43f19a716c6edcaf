-- AlterTable
ALTER TABLE "MaRequest" ADD COLUMN     "calendarSequence" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Survey" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL,
    "expiresOn" TEXT NOT NULL,
    "rating" INTEGER,
    "comment" TEXT NOT NULL DEFAULT '',
    "answeredById" TEXT,
    "answeredAt" TIMESTAMP(3),

    CONSTRAINT "Survey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Survey_requestId_key" ON "Survey"("requestId");

-- CreateIndex
CREATE INDEX "Survey_sentAt_idx" ON "Survey"("sentAt");

-- AddForeignKey
ALTER TABLE "Survey" ADD CONSTRAINT "Survey_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "MaRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;
