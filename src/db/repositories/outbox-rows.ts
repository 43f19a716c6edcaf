import type { OutboxRow } from "../../core/ports.js";
import type { Database } from "../client.js";
import { type ClaimedOutboxRow, claimOutboxStatement } from "../dialect.js";
import type { Prisma } from "../generated/sqlite/client.js";
import { prepare } from "../prepared.js";
import { instant, stored, ZOutboxKind, ZOutboxStatus, ZPlatform } from "./columns.js";

type Row = Prisma.OutboxGetPayload<object>;

/** An outbox row as the core sees it, its strings checked against the domain's unions. */
export function toRow(row: Row): OutboxRow {
  return {
    id: row.id,
    kind: stored(ZOutboxKind, "Outbox.kind", row.kind),
    subjectKey: row.subjectKey,
    dueDate: row.dueDate,
    offsetDays: row.offsetDays,
    version: row.version,
    platform: stored(ZPlatform, "Outbox.platform", row.platform),
    conversationId: row.conversationId,
    body: row.body,
    status: stored(ZOutboxStatus, "Outbox.status", row.status),
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
    sentAt: row.sentAt ?? undefined,
    snoozes: row.snoozes,
    createdAt: row.createdAt,
  };
}

/**
 * The statements every delivered message runs (claim, the check or renewal of the claim before
 * sending, mark sent) and a redraw's checks, each compiled once (src/db/prepared.ts); the claim
 * returns the claimed rows themselves.
 */
export function claimStatements(database: Database) {
  const { kysely: db } = database;
  return {
    claim: claimOutboxStatement(db, database.target.provider),
    renew: prepare<{ worker: string; now: Date; until: Date }, { id: string }>(db, (slot) =>
      db
        .updateTable("Outbox")
        .set({ claimedUntil: slot("until") })
        .where("claimedBy", "=", slot("worker"))
        .where("claimedUntil", ">", slot("now"))
        .where("status", "=", "PENDING")
        .returning("id"),
    ),
    /** The end of this worker's unexpired claim on a pending row: no row when it is not its own. */
    held: prepare<{ id: string; worker: string; now: Date }, { claimedUntil: unknown }>(db, (slot) =>
      db
        .selectFrom("Outbox")
        .select("claimedUntil")
        .where("id", "=", slot("id"))
        .where("claimedBy", "=", slot("worker"))
        .where("claimedUntil", ">", slot("now"))
        .where("status", "=", "PENDING"),
    ),
    /** A row of the same kind, subject and platform with a higher version, still owed or sent: a row when there is one. */
    newer: prepare<{ kind: string; subjectKey: string; platform: string; version: number }, { id: string }>(db, (slot) =>
      db
        .selectFrom("Outbox")
        .select("id")
        .where("kind", "=", slot("kind"))
        .where("subjectKey", "=", slot("subjectKey"))
        .where("platform", "=", slot("platform"))
        .where("version", ">", slot("version"))
        .where("status", "in", ["PENDING", "SENT"])
        .limit(1),
    ),
    /** A row of this kind for the subject and platform still waiting or being sent: a row when there is one. */
    open: prepare<{ subjectKey: string; kind: string; platform: string }, { id: string }>(db, (slot) =>
      db
        .selectFrom("Outbox")
        .select("id")
        .where("subjectKey", "=", slot("subjectKey"))
        .where("kind", "=", slot("kind"))
        .where("platform", "=", slot("platform"))
        .where("status", "=", "PENDING")
        .limit(1),
    ),
    /** Counts only while the claim is still this worker's. */
    sent: prepare<{ id: string; worker: string; at: Date }, never>(db, (slot) =>
      db
        .updateTable("Outbox")
        .where("id", "=", slot("id"))
        .where("claimedBy", "=", slot("worker"))
        .set((row) => ({ status: "SENT", sentAt: slot("at"), attempts: row("attempts", "+", 1), claimedBy: null, claimedUntil: null })),
    ),
  };
}

/** A row claimed by a Kysely statement: the same checks as the client's rows. */
export function fromClaimed(row: ClaimedOutboxRow): OutboxRow {
  return toRow({
    id: String(row.id),
    kind: String(row.kind),
    subjectKey: String(row.subjectKey),
    dueDate: String(row.dueDate),
    offsetDays: Number(row.offsetDays),
    version: Number(row.version),
    platform: String(row.platform),
    conversationId: String(row.conversationId),
    body: String(row.body),
    dedupeKey: "",
    status: String(row.status),
    attempts: Number(row.attempts),
    nextAttemptAt: instant(row.nextAttemptAt),
    claimedBy: null,
    claimedUntil: null,
    lastError: String(row.lastError),
    sentAt: row.sentAt === null ? null : instant(row.sentAt),
    snoozes: Number(row.snoozes),
    createdAt: instant(row.createdAt),
  });
}

/** Claimed rows in the order they are owed: due first, then by their time-ordered ids. */
export const byDueThenId = (a: OutboxRow, b: OutboxRow) =>
  a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
