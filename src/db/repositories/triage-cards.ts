import type { Kysely } from "kysely";
import type { Platform } from "../../core/model.js";
import type { RequesterCardStore, TriageCardStore } from "../../core/ports.js";
import type { Database } from "../client.js";
import { type DB, prepare } from "../kysely.js";
import { guard } from "./errors.js";

type CardTable = "TriageCard" | "RequesterCard";
type CardValues = { requestId: string; platform: string; conversationId: string; messageId: string; drawnVersion: number; at: Date };

/**
 * Where a card landed, recorded after every first post: one statement compiled once
 * (src/db/kysely.ts), not the client's upsert (a read and a write) on every delivery.
 */
function recordPostedStatement(db: Kysely<DB>, table: CardTable) {
  return prepare<CardValues, never>(db, (slot) =>
    db
      .insertInto(table)
      .values({
        requestId: slot("requestId"),
        platform: slot("platform"),
        conversationId: slot("conversationId"),
        messageId: slot("messageId"),
        drawnVersion: slot("drawnVersion"),
        updatedAt: slot("at"),
      })
      .onConflict((conflict) =>
        conflict.columns(["requestId", "platform"]).doUpdateSet({
          conversationId: slot("conversationId"),
          messageId: slot("messageId"),
          drawnVersion: slot("drawnVersion"),
          updatedAt: slot("at"),
        }),
      ),
  );
}

export function createTriageCardStore(database: Database): TriageCardStore {
  const { prisma } = database;
  const posted = recordPostedStatement(database.kysely, "TriageCard");
  const key = (requestId: string, platform: Platform) => ({ requestId_platform: { requestId, platform } });
  return {
    recordPosted: (requestId, ref) =>
      guard(async () => {
        await posted({ requestId, ...ref, at: new Date() });
      }),
    recordRedrawn: (requestId, ref) =>
      guard(async () => {
        // Compare-and-set: a late, older drawing never records over a newer one.
        await prisma.triageCard.updateMany({
          where: { requestId, platform: ref.platform, messageId: ref.messageId, drawnVersion: { lt: ref.drawnVersion } },
          data: { drawnVersion: ref.drawnVersion },
        });
        const stored = await prisma.triageCard.findUnique({ where: key(requestId, ref.platform) });
        return stored?.drawnVersion ?? ref.drawnVersion;
      }),
    find: (requestId, platform) =>
      guard(async () => {
        const row = await prisma.triageCard.findUnique({ where: key(requestId, platform) });
        if (!row || row.messageId === "") return undefined;
        return { platform, conversationId: row.conversationId, messageId: row.messageId, drawnVersion: row.drawnVersion };
      }),
    requestsWithCards: (platform, conversationId, requestIds) =>
      guard(async () => {
        if (requestIds.length === 0) return new Set<string>();
        const rows = await prisma.triageCard.findMany({
          where: { platform, conversationId, requestId: { in: requestIds }, NOT: { messageId: "" } },
          select: { requestId: true },
        });
        return new Set(rows.map((row) => row.requestId));
      }),
  };
}

/** The requester's "received" cards: the same bookkeeping as triage cards, in their own table. */
export function createRequesterCardStore(database: Database): RequesterCardStore {
  const { prisma } = database;
  const posted = recordPostedStatement(database.kysely, "RequesterCard");
  const key = (requestId: string, platform: Platform) => ({ requestId_platform: { requestId, platform } });
  return {
    recordPosted: (requestId, ref) =>
      guard(async () => {
        await posted({ requestId, ...ref, at: new Date() });
      }),
    recordRedrawn: (requestId, ref) =>
      guard(async () => {
        await prisma.requesterCard.updateMany({
          where: { requestId, platform: ref.platform, messageId: ref.messageId, drawnVersion: { lt: ref.drawnVersion } },
          data: { drawnVersion: ref.drawnVersion },
        });
        const stored = await prisma.requesterCard.findUnique({ where: key(requestId, ref.platform) });
        return stored?.drawnVersion ?? ref.drawnVersion;
      }),
    find: (requestId, platform) =>
      guard(async () => {
        const row = await prisma.requesterCard.findUnique({ where: key(requestId, platform) });
        if (!row || row.messageId === "") return undefined;
        return { platform, conversationId: row.conversationId, messageId: row.messageId, drawnVersion: row.drawnVersion };
      }),
  };
}
