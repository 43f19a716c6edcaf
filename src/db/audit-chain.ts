import type { Kysely } from "kysely";
import { type ChainedFields, chainHash } from "../core/records/audit-chain.js";
import type { Database, TxClient } from "./client.js";
import type { DB, Provider } from "./kysely.js";
import { prepare } from "./prepared.js";

/**
 * Appending to the audit chain (src/core/records/audit-chain.ts), always inside the
 * transaction of the change the event records, and as its last statement.
 *
 * Serialised by the chain head (AuditChain, one row): `UPDATE … SET seq = seq + 1 … RETURNING`
 * takes its row lock on PostgreSQL, so a concurrent append on another replica waits until this
 * transaction commits and then reads the new head (READ COMMITTED re-reads a row it waited
 * for); SQLite has one writer at a time. Two events can therefore never follow the same one.
 * Last statement, because the lock is held until commit: every writer waits on it briefly,
 * and a transaction holding it never waits for another lock (no deadlock).
 */

export const HEAD_ID = "audit";

export interface RequestEventRow {
  id: string;
  requestId: string;
  actorId: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  note: string;
  at: Date;
}

export interface OtherEventRow {
  id: string;
  actorId: string;
  action: string;
  subject: string;
  note: string;
  at: Date;
}

export const requestFields = (row: RequestEventRow, seq: number, prevHash: string): ChainedFields => ({
  kind: "request",
  seq,
  id: row.id,
  actorId: row.actorId,
  action: row.action,
  subject: row.requestId,
  fromStatus: row.fromStatus,
  toStatus: row.toStatus,
  note: row.note,
  at: row.at,
  prevHash,
});

export const otherFields = (row: OtherEventRow, seq: number, prevHash: string): ChainedFields => ({
  kind: "other",
  seq,
  id: row.id,
  actorId: row.actorId,
  action: row.action,
  subject: row.subject,
  fromStatus: null,
  toStatus: null,
  note: row.note,
  at: row.at,
  prevHash,
});

/** The next place in the chain and the hash it follows; the head stays locked until commit. */
async function nextLink(tx: TxClient): Promise<{ seq: number; prevHash: string }> {
  const head = await tx.auditChain.update({ where: { id: HEAD_ID }, data: { seq: { increment: 1 } } });
  return { seq: head.seq, prevHash: head.hash };
}

/** Chains and stores a request's audit event inside a Prisma interactive transaction. */
export async function appendRequestEvent(tx: TxClient, row: RequestEventRow): Promise<void> {
  const { seq, prevHash } = await nextLink(tx);
  const hash = chainHash(requestFields(row, seq, prevHash));
  await tx.auditChain.update({ where: { id: HEAD_ID }, data: { hash } });
  await tx.auditEvent.create({ data: { ...row, seq, prevHash, hash } });
}

/** Chains and stores a workbench event or a purge tombstone inside a Prisma interactive transaction. */
export async function appendOtherEvent(tx: TxClient, row: OtherEventRow): Promise<void> {
  const { seq, prevHash } = await nextLink(tx);
  const hash = chainHash(otherFields(row, seq, prevHash));
  await tx.auditChain.update({ where: { id: HEAD_ID }, data: { hash } });
  await tx.workbenchEvent.create({ data: { ...row, seq, prevHash, hash } });
}

/** A request's event as the chain stores it. */
type ChainedRequestEvent = { [Column in keyof RequestEventRow]: RequestEventRow[Column] } & { seq: number; prevHash: string; hash: string };

/**
 * The same append as Kysely statements compiled once, for `database.transaction` (the
 * submission). On PostgreSQL the head's new hash and the event are one statement (the head
 * is in a WITH clause; its row is locked already by the bump): a round trip less.
 */
export function chainStatements(db: Kysely<DB>, provider: Provider) {
  const bump = prepare<{ id: string }, { seq: number; hash: string }>(db, (slot) =>
    db
      .updateTable("AuditChain")
      .set((update) => ({ seq: update(update.ref("seq"), "+", 1) }))
      .where("id", "=", slot("id"))
      .returning(["seq", "hash"]),
  );
  const setHead = prepare<{ id: string; hash: string }, never>(db, (slot) =>
    db
      .updateTable("AuditChain")
      .set({ hash: slot("hash") })
      .where("id", "=", slot("id")),
  );
  type Slot = <K extends keyof ChainedRequestEvent>(name: K) => ChainedRequestEvent[K];
  const event = (slot: Slot) => ({
    id: slot("id"),
    requestId: slot("requestId"),
    actorId: slot("actorId"),
    action: slot("action"),
    fromStatus: slot("fromStatus"),
    toStatus: slot("toStatus"),
    note: slot("note"),
    at: slot("at"),
    seq: slot("seq"),
    prevHash: slot("prevHash"),
    hash: slot("hash"),
  });
  const insert = prepare<ChainedRequestEvent, never>(db, (slot) => db.insertInto("AuditEvent").values(event(slot)));
  const headAndInsert = prepare<ChainedRequestEvent, never>(db, (slot) =>
    db
      .with("head", (creator) =>
        creator
          .updateTable("AuditChain")
          .set({ hash: slot("hash") })
          .where("id", "=", HEAD_ID),
      )
      .insertInto("AuditEvent")
      .values(event(slot)),
  );
  return async (row: RequestEventRow): Promise<void> => {
    const head = (await bump({ id: HEAD_ID })).rows[0];
    if (!head) throw new Error("the audit chain head (AuditChain row audit) is missing: run migrate");
    const seq = Number(head.seq);
    const hash = chainHash(requestFields(row, seq, head.hash));
    const chained = { ...row, seq, prevHash: head.hash, hash };
    if (provider === "postgresql") {
      await headAndInsert(chained);
      return;
    }
    await setHead({ id: HEAD_ID, hash });
    await insert(chained);
  };
}

/**
 * Chains events written before the chain existed (seq null), oldest first: run after
 * migrations, so they precede every event written since. Returns how many it chained.
 */
export async function sealAuditChain(database: Database): Promise<number> {
  const { prisma } = database;
  const [requestCount, otherCount] = [
    await prisma.auditEvent.count({ where: { seq: null } }),
    await prisma.workbenchEvent.count({ where: { seq: null } }),
  ];
  if (requestCount + otherCount === 0) return 0;
  return database.interactive(
    async (tx) => {
      const requests = await tx.auditEvent.findMany({ where: { seq: null } });
      const others = await tx.workbenchEvent.findMany({ where: { seq: null } });
      const all = [
        ...requests.map((row) => ({ row, request: true as const })),
        ...others.map((row) => ({ row, request: false as const })),
      ].sort((a, b) => a.row.at.getTime() - b.row.at.getTime() || (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0));
      for (const entry of all) {
        const { seq, prevHash } = await nextLink(tx);
        const hash = chainHash(entry.request ? requestFields(entry.row, seq, prevHash) : otherFields(entry.row, seq, prevHash));
        await tx.auditChain.update({ where: { id: HEAD_ID }, data: { hash } });
        const data = { seq, prevHash, hash };
        if (entry.request) await tx.auditEvent.update({ where: { id: entry.row.id }, data });
        else await tx.workbenchEvent.update({ where: { id: entry.row.id }, data });
      }
      return all.length;
    },
    { timeout: 600_000, maxWait: 60_000 },
  );
}
