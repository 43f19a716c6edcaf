import type { Platform } from "../../core/model.js";
import type { Subscription, SubscriptionStore, SubscriptionTarget } from "../../core/ports.js";
import type { Db } from "../client.js";
import type { Prisma } from "../generated/sqlite/client.js";
import { stored, ZPlatform, ZSubscriptionTargetType } from "./columns.js";
import { guard, isUniqueViolation } from "./errors.js";

function toSubscription(row: Prisma.SubscriptionGetPayload<object>): Subscription {
  return {
    id: row.id,
    platform: stored(ZPlatform, "Subscription.platform", row.platform),
    conversationId: row.conversationId,
    target: { type: stored(ZSubscriptionTargetType, "Subscription.targetType", row.targetType), id: row.targetId },
    createdById: row.createdById,
    disabledReason: row.disabledReason,
  };
}

const keyOf = (input: { platform: Platform; conversationId: string; target: SubscriptionTarget }) => ({
  platform: input.platform,
  conversationId: input.conversationId,
  targetType: input.target.type,
  targetId: input.target.id,
});

export function createSubscriptionStore(prisma: Db): SubscriptionStore {
  return {
    add: (input) =>
      guard(async () => {
        const key = keyOf(input);
        // A stopped subscription starts again as the new subscriber's.
        const { count } = await prisma.subscription.updateMany({
          where: { ...key, NOT: { disabledReason: "" } },
          data: { disabledReason: "", createdById: input.createdById },
        });
        if (count > 0) return true;
        try {
          await prisma.subscription.create({ data: { ...key, createdById: input.createdById } });
          return true;
        } catch (error) {
          if (isUniqueViolation(error)) return false;
          throw error;
        }
      }),
    remove: (input) =>
      guard(async () => {
        const { count } = await prisma.subscription.deleteMany({ where: keyOf(input) });
        return count > 0;
      }),
    listForTargets: (type, ids) =>
      guard(async () =>
        ids.length === 0
          ? []
          : (
              await prisma.subscription.findMany({
                where: { targetType: type, targetId: { in: ids }, disabledReason: "" },
                orderBy: { createdAt: "asc" },
              })
            ).map(toSubscription),
      ),
    find: (input) =>
      guard(async () => {
        const row = await prisma.subscription.findFirst({ where: keyOf(input) });
        return row ? toSubscription(row) : undefined;
      }),
    disable: (id, reason) =>
      guard(async () => {
        await prisma.subscription.updateMany({ where: { id }, data: { disabledReason: reason.slice(0, 200) } });
      }),
    list: (where) =>
      guard(async () =>
        (await prisma.subscription.findMany({ where: where ?? {}, orderBy: [{ conversationId: "asc" }, { createdAt: "asc" }] })).map(
          toSubscription,
        ),
      ),
  };
}
