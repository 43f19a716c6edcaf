-- CreateTable
CREATE TABLE "RequesterCard" (
    "requestId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "drawnVersion" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RequesterCard_pkey" PRIMARY KEY ("requestId","platform")
);

-- AddForeignKey
ALTER TABLE "RequesterCard" ADD CONSTRAINT "RequesterCard_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "MaRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;
