import type { ConversationStore, DeliveryLog, StoredConversation } from "../../core/ports.js";
import type { Database, Db } from "../client.js";
import type { Prisma } from "../generated/sqlite/client.js";
import { newRowId } from "../ids.js";
import { prepare } from "../prepared.js";
import { flag, stored, ZPlatform } from "./columns.js";
import { guard, isUniqueViolation } from "./errors.js";

type ConversationRow = Pick<
  Prisma.ConversationRefGetPayload<object>,
  "platform" | "conversationId" | "kind" | "identityKey" | "reference"
> & { dead: unknown };

function toConversation(row: ConversationRow): StoredConversation {
  return {
    platform: stored(ZPlatform, "ConversationRef.platform", row.platform),
    conversationId: row.conversationId,
    kind: row.kind,
    identityKey: row.identityKey ?? undefined,
    reference: row.reference,
    dead: flag(row.dead),
  };
}

const CONVERSATION_COLUMNS = ["platform", "conversationId", "kind", "identityKey", "reference", "dead"] as const;

export function createConversationStore(database: Database): ConversationStore {
  const { prisma, kysely: db } = database;
  // Compiled once (src/db/prepared.ts): every Teams message and card action in a personal chat runs it.
  const saveStatement = prepare<
    { id: string; platform: string; conversationId: string; kind: string; identityKey: string | null; reference: string; at: Date },
    never
  >(db, (slot) => {
    const changed = {
      kind: slot("kind"),
      identityKey: slot("identityKey"),
      reference: slot("reference"),
      dead: false,
      updatedAt: slot("at"),
    };
    return db
      .insertInto("ConversationRef")
      .values({ id: slot("id"), platform: slot("platform"), conversationId: slot("conversationId"), ...changed })
      .onConflict((conflict) => conflict.columns(["platform", "conversationId"]).doUpdateSet(changed));
  });
  // Every proactive Teams send reads its conversation: compiled once, as the save.
  const findStatement = prepare<{ platform: string; conversationId: string }, ConversationRow>(db, (slot) =>
    db
      .selectFrom("ConversationRef")
      .select(CONVERSATION_COLUMNS)
      .where("platform", "=", slot("platform"))
      .where("conversationId", "=", slot("conversationId")),
  );
  const findPersonalStatement = prepare<{ identityKey: string }, ConversationRow>(db, (slot) =>
    db
      .selectFrom("ConversationRef")
      .select(CONVERSATION_COLUMNS)
      .where("identityKey", "=", slot("identityKey"))
      .where("kind", "=", "personal")
      .where("dead", "=", false)
      .orderBy("updatedAt", "desc")
      .limit(1),
  );
  return {
    // Every Teams activity saves its conversation: one Kysely statement (see connection.ts),
    // not the client's upsert (a read, then a write, inside a transaction).
    save: (conversation) =>
      guard(async () => {
        const { platform, conversationId, kind, reference } = conversation;
        await saveStatement({
          id: newRowId(),
          platform,
          conversationId,
          kind,
          identityKey: conversation.identityKey ?? null,
          reference,
          at: new Date(),
        });
      }),
    find: (platform, conversationId) =>
      guard(async () => {
        const row = (await findStatement({ platform, conversationId })).rows[0];
        return row ? toConversation(row) : undefined;
      }),
    findPersonal: (identityKey) =>
      guard(async () => {
        const row = (await findPersonalStatement({ identityKey })).rows[0];
        return row ? toConversation(row) : undefined;
      }),
    markDead: (platform, conversationId) =>
      guard(async () => {
        await prisma.conversationRef.updateMany({ where: { platform, conversationId }, data: { dead: true } });
      }),
  };
}

export function createDeliveryLog(prisma: Db): DeliveryLog {
  return {
    firstTime: (key, at) =>
      guard(async () => {
        try {
          await prisma.idempotencyKey.create({ data: { key, resultId: "", createdAt: at } });
          return true;
        } catch (error) {
          if (isUniqueViolation(error)) return false;
          throw error;
        }
      }),
  };
}
