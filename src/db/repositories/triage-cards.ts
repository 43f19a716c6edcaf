import type { Platform } from "../../core/model.js";
import type { TriageCardStore } from "../../core/ports.js";
import type { Db } from "../client.js";
import { guard, isUniqueViolation } from "./errors.js";

export function createTriageCardStore(prisma: Db): TriageCardStore {
  return {
    claim: (requestId, platform, conversationId) =>
      guard(async () => {
        try {
          await prisma.triageCard.create({ data: { requestId, platform, conversationId, messageId: "" } });
          return true;
        } catch (error) {
          if (isUniqueViolation(error)) return false;
          throw error;
        }
      }),
    record: (requestId, ref) =>
      guard(async () => {
        await prisma.triageCard.update({
          where: { requestId_platform: { requestId, platform: ref.platform } },
          data: { conversationId: ref.conversationId, messageId: ref.messageId },
        });
      }),
    release: (requestId, platform) =>
      guard(async () => {
        await prisma.triageCard.deleteMany({ where: { requestId, platform, messageId: "" } });
      }),
    find: (requestId) =>
      guard(async () =>
        (await prisma.triageCard.findMany({ where: { requestId, NOT: { messageId: "" } } })).map((row) => ({
          platform: row.platform as Platform,
          conversationId: row.conversationId,
          messageId: row.messageId,
        })),
      ),
  };
}
