import type { Platform } from "../../core/model.js";
import type { OutboxRow, ReminderOutbox } from "../../core/ports.js";
import type { Database } from "../client.js";
import { claimOutboxBatchPostgres } from "../dialect.js";
import type { Prisma } from "../generated/sqlite/client.js";
import { guard, isUniqueViolation } from "./errors.js";

function toRow(row: Prisma.ReminderOutboxGetPayload<object>): OutboxRow {
  return {
    id: row.id,
    subjectKey: row.subjectKey,
    dueDate: row.dueDate,
    offsetDays: row.offsetDays,
    platform: row.platform as Platform,
    conversationId: row.conversationId,
    status: row.status as OutboxRow["status"],
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
    sentAt: row.sentAt ?? undefined,
  };
}

/** Error text kept for `remind --status`: codes and platform reasons, bounded. */
const clip = (text: string) => text.slice(0, 500);

export function createReminderOutbox(database: Database): ReminderOutbox {
  const { prisma } = database;
  const mine = (id: string, worker: string) => ({ id, claimedBy: worker });
  return {
    insertIfAbsent: (row, at) =>
      guard(async () => {
        try {
          await prisma.reminderOutbox.create({ data: { ...row, createdAt: at, nextAttemptAt: at } });
          // A newer reminder of the same item and target replaces an older one still waiting.
          await prisma.reminderOutbox.updateMany({
            where: {
              subjectKey: row.subjectKey,
              dueDate: row.dueDate,
              platform: row.platform,
              conversationId: row.conversationId,
              offsetDays: { gt: row.offsetDays },
              status: "PENDING",
            },
            data: { status: "CANCELLED", lastError: "superseded by a later reminder" },
          });
          return true;
        } catch (error) {
          if (isUniqueViolation(error)) return false;
          throw error;
        }
      }),

    claimDue: (now, worker, leaseMs, limit) =>
      guard(async () => {
        const claimedUntil = new Date(now.getTime() + leaseMs);
        let ids: string[];
        if (database.target.provider === "postgresql") {
          ids = await claimOutboxBatchPostgres(database, { now, worker, claimedUntil, limit });
        } else {
          // SQLite has one writer at a time: a conditional update per row is atomic, and
          // of several processes racing for a row exactly one sees count 1.
          const free: Prisma.ReminderOutboxWhereInput = { status: "PENDING", OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] };
          const candidates = await prisma.reminderOutbox.findMany({
            where: { ...free, nextAttemptAt: { lte: now } },
            orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
            take: limit,
            select: { id: true },
          });
          ids = [];
          for (const { id } of candidates) {
            const { count } = await prisma.reminderOutbox.updateMany({ where: { id, ...free }, data: { claimedBy: worker, claimedUntil } });
            if (count === 1) ids.push(id);
          }
        }
        if (ids.length === 0) return [];
        const rows = await prisma.reminderOutbox.findMany({
          where: { id: { in: ids } },
          orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
        });
        return rows.map(toRow);
      }),

    markSent: (id, worker, at) =>
      guard(async () => {
        await prisma.reminderOutbox.updateMany({
          where: mine(id, worker),
          data: { status: "SENT", sentAt: at, attempts: { increment: 1 }, claimedBy: null, claimedUntil: null },
        });
      }),

    retryLater: (id, worker, next, error) =>
      guard(async () => {
        await prisma.reminderOutbox.updateMany({
          where: mine(id, worker),
          data: { nextAttemptAt: next, attempts: { increment: 1 }, lastError: clip(error), claimedBy: null, claimedUntil: null },
        });
      }),

    markFailed: (id, worker, error) =>
      guard(async () => {
        await prisma.reminderOutbox.updateMany({
          where: mine(id, worker),
          data: { status: "FAILED", attempts: { increment: 1 }, lastError: clip(error), claimedBy: null, claimedUntil: null },
        });
      }),

    cancel: (id, reason) =>
      guard(async () => {
        await prisma.reminderOutbox.updateMany({
          where: { id, status: "PENDING" },
          data: { status: "CANCELLED", lastError: clip(reason), claimedBy: null, claimedUntil: null },
        });
      }),

    cancelPending: (subjectKey) =>
      guard(async () => {
        const { count } = await prisma.reminderOutbox.updateMany({
          where: { subjectKey, status: "PENDING" },
          data: { status: "CANCELLED", lastError: "completed", claimedBy: null, claimedUntil: null },
        });
        return count;
      }),

    find: (id) =>
      guard(async () => {
        const row = await prisma.reminderOutbox.findUnique({ where: { id } });
        return row ? toRow(row) : undefined;
      }),

    snooze: (id, until) =>
      guard(async () => {
        await prisma.reminderOutbox.update({
          where: { id },
          data: { status: "PENDING", nextAttemptAt: until, claimedBy: null, claimedUntil: null },
        });
      }),

    statusCounts: () =>
      guard(async () => {
        const groups = await prisma.reminderOutbox.groupBy({ by: ["status"], _count: { _all: true } });
        return Object.fromEntries(groups.map((group) => [group.status, group._count._all]));
      }),

    listFailed: (limit) =>
      guard(async () =>
        (await prisma.reminderOutbox.findMany({ where: { status: "FAILED" }, orderBy: { createdAt: "desc" }, take: limit })).map(toRow),
      ),
  };
}
