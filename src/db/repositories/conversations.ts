import type { Platform } from "../../core/model.js";
import type { ConversationStore, DeliveryLog, StoredConversation } from "../../core/ports.js";
import type { Db } from "../client.js";
import type { Prisma } from "../generated/sqlite/client.js";
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

export function createConversationStore(prisma: Db): ConversationStore {
  return {
    save: (conversation) =>
      guard(async () => {
        const data = {
          kind: conversation.kind,
          identityKey: conversation.identityKey ?? null,
          reference: conversation.reference,
          dead: false,
        };
        await prisma.conversationRef.upsert({
          where: { platform_conversationId: { platform: conversation.platform, conversationId: conversation.conversationId } },
          create: { platform: conversation.platform, conversationId: conversation.conversationId, ...data },
          update: data,
        });
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
