-- AlterTable
ALTER TABLE "MaRequest" ADD COLUMN     "duplicateOfId" TEXT,
ADD COLUMN     "stageCreditDays" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "RequestFollower" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RequestFollower_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RequestFollower_personId_idx" ON "RequestFollower"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "RequestFollower_requestId_personId_key" ON "RequestFollower"("requestId", "personId");

-- AddForeignKey
ALTER TABLE "MaRequest" ADD CONSTRAINT "MaRequest_duplicateOfId_fkey" FOREIGN KEY ("duplicateOfId") REFERENCES "MaRequest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequestFollower" ADD CONSTRAINT "RequestFollower_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "MaRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequestFollower" ADD CONSTRAINT "RequestFollower_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
