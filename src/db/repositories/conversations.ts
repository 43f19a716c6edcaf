import type { Platform } from "../../core/model.js";
import type { ConversationStore, DeliveryLog, StoredConversation } from "../../core/ports.js";
import type { Db } from "../client.js";
import type { Prisma } from "../generated/sqlite/client.js";
import { newRowId } from "../raw-insert.js";
import type { Sql } from "../sql.js";
import { guard, isUniqueViolation } from "./errors.js";

function toConversation(row: Prisma.ConversationRefGetPayload<object>): StoredConversation {
  return {
    platform: row.platform as Platform,
    conversationId: row.conversationId,
    kind: row.kind,
    identityKey: row.identityKey ?? undefined,
    reference: row.reference,
    dead: row.dead,
  };
}

export function createConversationStore(prisma: Db, sql: Sql): ConversationStore {
  return {
    // Every Teams activity saves its conversation: one statement on the driver adapter (see
    // sql.ts), not the client's upsert (a read, then a write, inside a transaction).
    save: (conversation) =>
      guard(async () => {
        const { platform, conversationId, kind, reference } = conversation;
        const identityKey = conversation.identityKey ?? null;
        const at = new Date();
        await sql.run`INSERT INTO "ConversationRef" ("id", "platform", "conversationId", "kind", "identityKey", "reference", "dead", "updatedAt")
          VALUES (${newRowId()}, ${platform}, ${conversationId}, ${kind}, ${identityKey}, ${reference}, ${false}, ${at})
          ON CONFLICT ("platform", "conversationId") DO UPDATE SET
            "kind" = ${kind}, "identityKey" = ${identityKey}, "reference" = ${reference}, "dead" = ${false}, "updatedAt" = ${at}`;
      }),
    find: (platform, conversationId) =>
      guard(async () => {
        const row = await prisma.conversationRef.findUnique({ where: { platform_conversationId: { platform, conversationId } } });
        return row ? toConversation(row) : undefined;
      }),
    findPersonal: (identityKey) =>
      guard(async () => {
        const row = await prisma.conversationRef.findFirst({
          where: { identityKey, kind: "personal", dead: false },
          orderBy: { updatedAt: "desc" },
        });
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
