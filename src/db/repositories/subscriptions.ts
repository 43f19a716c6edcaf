import type { Platform } from "../../core/model.js";
import type { Subscription, SubscriptionStore, SubscriptionTarget } from "../../core/ports.js";
import type { Database } from "../client.js";
import { inPieces, prepare, prepareForLists } from "../prepared.js";
import { instant, stored, ZPlatform, ZSubscriptionTargetType } from "./columns.js";
import { guard, isUniqueViolation } from "./errors.js";

/** The columns a subscription is read with. */
const COLUMNS = ["id", "platform", "conversationId", "targetType", "targetId", "createdById", "disabledReason", "createdAt"] as const;
type Row = { [Column in Exclude<(typeof COLUMNS)[number], "createdAt">]: string } & { createdAt: unknown };

function toSubscription(row: Row): Subscription {
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

/**
 * Subscriptions. The reads a delivery makes (a batch of reminders' subscriptions, a
 * reminder's own) are Kysely statements compiled once (src/db/prepared.ts); the rest, rare, the
 * client's.
 */
export function createSubscriptionStore(database: Database): SubscriptionStore {
  const { prisma, kysely: db } = database;
  /** Active subscriptions to any of a list of targets of one type. */
  const activeFor = (targetType: "case" | "request") =>
    prepareForLists(db, (targetIds) =>
      db
        .selectFrom("Subscription")
        .select(COLUMNS)
        .where("targetType", "=", targetType)
        .where("targetId", "in", targetIds)
        .where("disabledReason", "=", ""),
    );
  const forTargets = activeFor("case");
  const forRequests = activeFor("request");
  const one = prepare<{ platform: string; conversationId: string; targetType: string; targetId: string }, Row>(db, (slot) =>
    db
      .selectFrom("Subscription")
      .select(COLUMNS)
      .where("platform", "=", slot("platform"))
      .where("conversationId", "=", slot("conversationId"))
      .where("targetType", "=", slot("targetType"))
      .where("targetId", "=", slot("targetId")),
  );
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
      guard(async () => {
        const rows: Array<{ row: Row; at: number }> = [];
        for (const piece of inPieces([...new Set(ids)])) {
          for (const row of (await (type === "case" ? forTargets : forRequests)(piece)).rows)
            rows.push({ row, at: instant(row.createdAt).getTime() });
        }
        // Oldest first, as the client read them; ties by their time-ordered ids.
        rows.sort((a, b) => a.at - b.at || (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0));
        return rows.map(({ row }) => toSubscription(row));
      }),
    find: (input) =>
      guard(async () => {
        const row = (await one(keyOf(input))).rows[0];
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
