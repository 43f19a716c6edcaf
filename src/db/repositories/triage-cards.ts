import type { Kysely } from "kysely";
import type { RequesterCardStore, TriageCardStore } from "../../core/ports.js";
import type { Database } from "../client.js";
import type { DB } from "../kysely.js";
import { prepare } from "../prepared.js";
import { guard } from "./errors.js";

type CardTable = "TriageCard" | "RequesterCard";
type CardValues = { requestId: string; platform: string; conversationId: string; messageId: string; drawnVersion: number; at: Date };

/**
 * Where a card landed, recorded after every first post: one statement compiled once
 * (src/db/prepared.ts), not the client's upsert (a read and a write) on every delivery.
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

/**
 * A card table's bookkeeping, every statement compiled once: a redraw reads where its card is
 * and records what it drew on every move of a request.
 */
function cardStore(database: Database, table: CardTable): RequesterCardStore {
  const db = database.kysely;
  const posted = recordPostedStatement(db, table);
  // Compare-and-set: a late, older drawing never records over a newer one.
  const redrawn = prepare<{ requestId: string; platform: string; messageId: string; drawnVersion: number; at: Date }, never>(db, (slot) =>
    db
      .updateTable(table)
      .set({ drawnVersion: slot("drawnVersion"), updatedAt: slot("at") })
      .where("requestId", "=", slot("requestId"))
      .where("platform", "=", slot("platform"))
      .where("messageId", "=", slot("messageId"))
      .where("drawnVersion", "<", slot("drawnVersion")),
  );
  const find = prepare<{ requestId: string; platform: string }, { conversationId: string; messageId: string; drawnVersion: number }>(
    db,
    (slot) =>
      db
        .selectFrom(table)
        .select(["conversationId", "messageId", "drawnVersion"])
        .where("requestId", "=", slot("requestId"))
        .where("platform", "=", slot("platform")),
  );
  return {
    recordPosted: (requestId, ref) =>
      guard(async () => {
        await posted({ requestId, ...ref, at: new Date() });
      }),
    recordRedrawn: (requestId, ref) =>
      guard(async () => {
        await redrawn({ requestId, platform: ref.platform, messageId: ref.messageId, drawnVersion: ref.drawnVersion, at: new Date() });
        const stored = (await find({ requestId, platform: ref.platform })).rows[0];
        return stored ? Number(stored.drawnVersion) : ref.drawnVersion;
      }),
    find: (requestId, platform) =>
      guard(async () => {
        const row = (await find({ requestId, platform })).rows[0];
        if (!row || row.messageId === "") return undefined;
        return { platform, conversationId: row.conversationId, messageId: row.messageId, drawnVersion: Number(row.drawnVersion) };
      }),
  };
}

export function createTriageCardStore(database: Database): TriageCardStore {
  const { prisma } = database;
  return {
    ...cardStore(database, "TriageCard"),
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
  return cardStore(database, "RequesterCard");
}
