import type { Outbox, OutboxRow, OwedMessage } from "../../core/ports.js";
import type { Database, Db } from "../client.js";
import { newRowId } from "../ids.js";
import { instant } from "./columns.js";
import { guard, isUniqueViolation } from "./errors.js";
import { type OutboxHandoff, owedRows } from "./outbox-handoff.js";
import { createOutboxReport } from "./outbox-report.js";
import { byDueThenId, claimStatements, fromClaimed, toRow } from "./outbox-rows.js";

/** A client or an interactive transaction: owed messages are written inside the change's. */
type Writer = Pick<Db, "outbox">;

/** Error text kept for `outbox --status`: codes and platform reasons, bounded. */
const clip = (text: string) => text.slice(0, 500);

/** A claim given back: the row is free for any worker again. */
const RELEASED = { claimedBy: null, claimedUntil: null };

/** Inserts owed messages as they are: for keys known to be new. */
export async function insertOwed(writer: Writer, messages: OwedMessage[], at: Date): Promise<void> {
  if (messages.length === 0) return;
  await writer.outbox.createMany({ data: owedRows(messages, at) });
}

/**
 * Stores owed messages, skipping any whose key was owed before. A card redraw cancels the
 * pending redraws of older versions of the same card: only the newest is worth drawing.
 */
export async function writeOwed(writer: Writer, messages: OwedMessage[], at: Date): Promise<number> {
  if (messages.length === 0) return 0;
  // One read for the keys owed before, one insert for the rest: a change's messages cost
  // two statements, not two each.
  const seen = await writer.outbox.findMany({
    where: { dedupeKey: { in: messages.map((message) => message.dedupeKey) } },
    select: { dedupeKey: true },
  });
  const known = new Set(seen.map((row) => row.dedupeKey));
  const fresh = messages.filter(
    (message, index) => !known.has(message.dedupeKey) && messages.findIndex((other) => other.dedupeKey === message.dedupeKey) === index,
  );
  if (fresh.length === 0) return 0;
  await insertOwed(writer, fresh, at);
  for (const message of fresh.filter((item) => item.kind === "card-redraw")) {
    await writer.outbox.updateMany({
      where: {
        kind: "card-redraw",
        subjectKey: message.subjectKey,
        platform: message.platform,
        version: { lt: message.version },
        status: "PENDING",
        claimedBy: null,
      },
      data: { status: "CANCELLED", lastError: "superseded by a newer version" },
    });
  }
  return fresh.length;
}

export function reminderKey(row: Pick<OutboxRow, "subjectKey" | "dueDate" | "offsetDays" | "platform" | "conversationId">): string {
  return `reminder:${row.subjectKey}:${row.dueDate}:${row.offsetDays}:${row.platform}:${row.conversationId}`;
}

export function createOutbox(database: Database, handoff: OutboxHandoff): Outbox {
  const { prisma, kysely: db } = database;
  /** A row this worker holds: a mark changes nothing once the claim has passed to another. */
  const held = (id: string, worker: string) => db.updateTable("Outbox").where("id", "=", id).where("claimedBy", "=", worker);
  const claims = claimStatements(database);
  return {
    handTo: (taker) => handoff.set(taker),

    insertReminder: (row, at) =>
      guard(async () => {
        try {
          await prisma.outbox.create({
            data: { id: newRowId(), ...row, kind: "reminder", dedupeKey: reminderKey(row), createdAt: at, nextAttemptAt: at },
          });
        } catch (error) {
          if (isUniqueViolation(error)) return false;
          throw error;
        }
        handoff.owed();
        // A newer reminder of the same item and target replaces an older one still waiting.
        await prisma.outbox.updateMany({
          where: {
            kind: "reminder",
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
      }),

    enqueue: (messages, at) =>
      guard(async () => {
        for (let attempt = 1; ; attempt++) {
          try {
            const stored = await database.interactive((tx) => writeOwed(tx, messages, at));
            if (stored > 0) handoff.owed();
            return stored;
          } catch (error) {
            // Another process owed some of the same messages at the same moment: they are
            // stored once, and the retry's read of known keys stores the rest.
            if (!isUniqueViolation(error)) throw error;
            if (attempt >= 3) return 0;
          }
        }
      }),

    // A claim and the marks after each message are every message's statements: they go
    // Kysely statements on the client's connection (see connection.ts), none of the client's cost.
    claimDue: (now, worker, leaseMs, limit) =>
      guard(async () => {
        const { rows } = await claims.claim({ now, worker, claimedUntil: new Date(now.getTime() + leaseMs), limit });
        return rows.map(fromClaimed).sort(byDueThenId);
      }),

    renewClaims: (worker, now, leaseMs) =>
      guard(async () => (await claims.renew({ worker, now, until: new Date(now.getTime() + leaseMs) })).rows.map((row) => String(row.id))),

    claimedUntil: (id, worker, now) =>
      guard(async () => {
        const row = (await claims.held({ id, worker, now })).rows[0];
        return row ? instant(row.claimedUntil) : undefined;
      }),

    markSent: (id, worker, at, record) =>
      guard(async () => {
        const sent = async () => (await claims.sent({ id, worker, at })).numAffectedRows === 1n;
        if (!record) return sent();
        // One commit for the mark and the record, and the record only while the row is still
        // this worker's: one that lost its claim never records over the sender that holds it.
        return database.transaction(async () => {
          if (!(await sent())) return false;
          await record();
          return true;
        });
      }),

    retryLater: (id, worker, next, error) =>
      guard(async () => {
        await held(id, worker)
          .set((row) => ({ nextAttemptAt: next, attempts: row("attempts", "+", 1), lastError: clip(error), ...RELEASED }))
          .execute();
      }),

    markFailed: (id, worker, error) =>
      guard(async () => {
        await held(id, worker)
          .set((row) => ({ status: "FAILED", attempts: row("attempts", "+", 1), lastError: clip(error), ...RELEASED }))
          .execute();
      }),

    cancel: (id, reason) =>
      guard(async () => {
        await db
          .updateTable("Outbox")
          .set({ status: "CANCELLED", lastError: clip(reason), ...RELEASED })
          .where("id", "=", id)
          .where("status", "=", "PENDING")
          .execute();
      }),

    cancelPending: (subjectKey) =>
      guard(async () => {
        const { count } = await prisma.outbox.updateMany({
          where: { subjectKey, kind: "reminder", status: "PENDING" },
          data: { status: "CANCELLED", lastError: "completed", ...RELEASED },
        });
        return count;
      }),

    reopenCancelled: (subjectKey, at) =>
      guard(async () => {
        const { count } = await prisma.outbox.updateMany({
          where: { subjectKey, kind: "reminder", status: "CANCELLED", lastError: "completed" },
          data: { status: "PENDING", lastError: "", nextAttemptAt: at },
        });
        if (count > 0) handoff.owed();
        return count;
      }),

    hasNewer: (row) => guard(async () => (await claims.newer(row)).rows.length > 0),

    hasOpen: (subjectKey, kind, platform) => guard(async () => (await claims.open({ subjectKey, kind, platform })).rows.length > 0),

    find: (id) =>
      guard(async () => {
        const row = await prisma.outbox.findUnique({ where: { id } });
        return row ? toRow(row) : undefined;
      }),

    snooze: (id, until) =>
      guard(async () => {
        await prisma.outbox.updateMany({
          where: { id, kind: "reminder", status: "SENT" },
          data: { status: "PENDING", nextAttemptAt: until, snoozes: { increment: 1 }, ...RELEASED },
        });
      }),

    ...createOutboxReport(prisma),
  };
}
