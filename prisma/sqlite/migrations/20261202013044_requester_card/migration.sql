-- CreateTable
CREATE TABLE "RequesterCard" (
    "requestId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "drawnVersion" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("requestId", "platform"),
    CONSTRAINT "RequesterCard_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "MaRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
