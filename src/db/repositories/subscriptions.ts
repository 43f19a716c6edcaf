import type { Platform } from "../../core/model.js";
import type { Subscription, SubscriptionStore, SubscriptionTarget } from "../../core/ports.js";
import type { Db } from "../client.js";
import type { Prisma } from "../generated/sqlite/client.js";
import { guard, isUniqueViolation } from "./errors.js";

function toSubscription(row: Prisma.SubscriptionGetPayload<object>): Subscription {
  return {
    id: row.id,
    platform: row.platform as Platform,
    conversationId: row.conversationId,
    target: { type: row.targetType as SubscriptionTarget["type"], id: row.targetId },
    createdById: row.createdById,
  };
}

export function createSubscriptionStore(prisma: Db): SubscriptionStore {
  return {
    add: (input) =>
      guard(async () => {
        try {
          await prisma.subscription.create({
            data: {
              platform: input.platform,
              conversationId: input.conversationId,
              targetType: input.target.type,
              targetId: input.target.id,
              createdById: input.createdById,
            },
          });
          return true;
        } catch (error) {
          if (isUniqueViolation(error)) return false;
          throw error;
        }
      }),
    remove: (input) =>
      guard(async () => {
        const { count } = await prisma.subscription.deleteMany({
          where: {
            platform: input.platform,
            conversationId: input.conversationId,
            targetType: input.target.type,
            targetId: input.target.id,
          },
        });
        return count > 0;
      }),
    listForTargets: (type, ids) =>
      guard(async () =>
        ids.length === 0
          ? []
          : (await prisma.subscription.findMany({ where: { targetType: type, targetId: { in: ids } }, orderBy: { createdAt: "asc" } })).map(
              toSubscription,
            ),
      ),
    has: (input) =>
      guard(
        async () =>
          (await prisma.subscription.count({
            where: {
              platform: input.platform,
              conversationId: input.conversationId,
              targetType: input.target.type,
              targetId: input.target.id,
            },
          })) > 0,
      ),
    listForConversation: (platform, conversationId) =>
      guard(async () =>
        (await prisma.subscription.findMany({ where: { platform, conversationId }, orderBy: { createdAt: "asc" } })).map(toSubscription),
      ),
  };
}
