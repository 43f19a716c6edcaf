// The rows one submission stores, copied from the bot's own database and written again with
// the raw driver: the baseline of the submission bench and of the bare apps that store. Same
// tables, same row count, same values and sizes (ids and keys swapped for fresh ones of the
// same length), statements prepared once, the same journal_mode and synchronous as the bot.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
import type { Database as BotDatabase } from "../src/db/client.js";

type Value = string | number | bigint | boolean | Date | Buffer | null;
export type Row = Record<string, Value>;

/** One row as the bot wrote it. */
export interface RowTemplate {
  table: string;
  row: Row;
}

/** What a bare app that stores needs: the rows of one submission and the bot's connection settings. */
export interface StoreSpec {
  rows: RowTemplate[];
  /** SQLite only: the bot's connection's `journal_mode` and `synchronous`. */
  pragmas?: { journalMode: string; synchronous: number };
}

/**
 * Where a submission's rows are, given its request: the requester (a new person per user,
 * with their identity and, on Teams, their conversation's reference), the request, its audit event, case links, idempotency key and what it
 * owes (the outbox rows). Delivery's own bookkeeping (triage card records) is left out: it is
 * the bot's cost of being able to redraw a card later.
 */
const PLACES: Array<{ table: string; column: string; value: (request: Row) => Value }> = [
  { table: "Person", column: "id", value: (request) => request.requesterId ?? null },
  { table: "Identity", column: "personId", value: (request) => request.requesterId ?? null },
  { table: "MaRequest", column: "id", value: (request) => request.id ?? null },
  { table: "AuditEvent", column: "requestId", value: (request) => request.id ?? null },
  { table: "RequestCaseLink", column: "requestId", value: (request) => request.id ?? null },
  { table: "IdempotencyKey", column: "resultId", value: (request) => request.id ?? null },
  { table: "Outbox", column: "subjectKey", value: (request) => `request:${request.id}` },
];

/** An outbox row as it was owed, before the dispatcher claimed and sent it. */
const AS_OWED: Row = { status: "PENDING", attempts: 0, claimedBy: null, claimedUntil: null, sentAt: null, lastError: "" };

/** Reads the rows of the newest request (and its requester) through `query` (`?` placeholders, one value). */
export async function captureSubmissionRows(query: (sql: string, value: Value) => Promise<Row[]>): Promise<RowTemplate[]> {
  const [request] = await query(`SELECT * FROM "MaRequest" WHERE "status" = ? ORDER BY "createdAt" DESC LIMIT 1`, "SUBMITTED");
  if (!request) throw new Error("no request to copy: submit one first");
  const rows: RowTemplate[] = [];
  for (const place of PLACES) {
    for (const row of await query(`SELECT * FROM "${place.table}" WHERE "${place.column}" = ?`, place.value(request))) {
      rows.push({ table: place.table, row: place.table === "Outbox" ? { ...row, ...AS_OWED } : row });
    }
  }
  // Where the bot may write to the requester later (Teams saves it from every message).
  for (const identity of rows.filter((item) => item.table === "Identity")) {
    for (const row of await query(`SELECT * FROM "ConversationRef" WHERE "identityKey" = ?`, identity.row.key ?? null)) {
      rows.push({ table: "ConversationRef", row });
    }
  }
  return rows;
}

export async function captureFromSqlite(file: string): Promise<RowTemplate[]> {
  const db = new Database(file, { readonly: true });
  try {
    return await captureSubmissionRows(async (sql, value) => db.prepare(sql).all(value) as Row[]);
  } finally {
    db.close();
  }
}

export async function captureFromPostgres(url: string): Promise<RowTemplate[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await captureSubmissionRows(async (sql, value) => (await client.query(sql.replace("?", "$1"), [value])).rows);
  } finally {
    await client.end();
  }
}

/** The bot's connection's SQLite settings, read through its own client (what the baseline sets equal). */
export async function sqlitePragmasOf(database: BotDatabase): Promise<StoreSpec["pragmas"]> {
  if (database.target.provider !== "sqlite") return undefined;
  const [journal] = await database.prisma.$queryRaw<Array<{ journal_mode: string }>>`PRAGMA journal_mode`;
  const [sync] = await database.prisma.$queryRaw<Array<{ synchronous: number | bigint }>>`PRAGMA synchronous`;
  return { journalMode: String(journal?.journal_mode), synchronous: Number(sync?.synchronous) };
}

/**
 * Every id and key of the copied rows (and the request number), each replaced in every
 * text value by a fresh random string of the same length: unique rows of the same sizes.
 */
function tokensOf(rows: RowTemplate[]): string[] {
  const tokens = new Set<string>();
  for (const { table, row } of rows) {
    // A new user's 1:1 chat is a new conversation: its id is unique per row, as in the bot.
    const columns =
      table === "ConversationRef" ? ["id", "key", "externalId", "number", "conversationId"] : ["id", "key", "externalId", "number"];
    for (const column of columns) {
      const value = row[column];
      if (typeof value === "string" && value.length >= 4) tokens.add(value);
    }
  }
  // Longest first, so a key that contains an id is replaced whole.
  return [...tokens].sort((a, b) => b.length - a.length);
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
function freshLike(token: string): string {
  const bytes = randomBytes(token.length);
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/** A value rebuilt per insert: text pieces between tokens, or a constant. */
type Part = string | { token: number };
type Cell = { constant: Value } | { parts: Part[] };

function cellOf(value: Value, tokens: string[]): Cell {
  if (typeof value !== "string" || !tokens.some((token) => value.includes(token))) return { constant: value };
  let parts: Part[] = [value];
  tokens.forEach((token, index) => {
    parts = parts.flatMap((part) =>
      typeof part !== "string" ? [part] : part.split(token).flatMap((piece, at) => (at === 0 ? [piece] : [{ token: index }, piece])),
    );
  });
  return { parts };
}

/** The insert of one template row, with what changes per submission worked out once. */
interface PreparedInsert {
  table: string;
  columns: string[];
  cells: Cell[];
}

function prepareInserts(rows: RowTemplate[]): { tokens: string[]; inserts: PreparedInsert[] } {
  const tokens = tokensOf(rows);
  const inserts = rows.map(({ table, row }) => {
    const columns = Object.keys(row);
    return { table, columns, cells: columns.map((column) => cellOf(row[column] ?? null, tokens)) };
  });
  return { tokens, inserts };
}

function valuesFor(
  insert: PreparedInsert,
  fresh: string[],
  counter: { year: number; last: number } | undefined,
  chainSeq?: number,
): Value[] {
  return insert.cells.map((cell, index) => {
    // The audit event's place in the chain comes from the chain's head, as in the bot.
    if (insert.table === "AuditEvent" && chainSeq !== undefined && insert.columns[index] === "seq") return chainSeq;
    if (insert.table === "MaRequest" && counter) {
      // The request's number and sequence come from the year's counter, as in the bot.
      const column = insert.columns[index];
      if (column === "seq") return counter.last;
      if (column === "number") return `MA-${counter.year}-${String(counter.last).padStart(4, "0")}`;
    }
    if ("constant" in cell) return cell.constant;
    return cell.parts.map((part) => (typeof part === "string" ? part : fresh[part.token])).join("");
  });
}

const COUNTER_SQL = `INSERT INTO "RequestCounter" ("year","last") VALUES (?, 1) ON CONFLICT ("year") DO UPDATE SET "last" = "RequestCounter"."last" + 1 RETURNING "last"`;
/** The audit chain's head, bumped and then given the new event's hash, as the bot does (src/db/audit-chain.ts). */
const CHAIN_SQL = `UPDATE "AuditChain" SET "seq" = "seq" + 1 WHERE "id" = 'audit' RETURNING "seq", "hash"`;
const CHAIN_HEAD_SQL = `UPDATE "AuditChain" SET "hash" = ? WHERE "id" = 'audit'`;
/** The copied event's hash: the same length as the one the bot computes. */
const chainHashOf = (rows: RowTemplate[]) => String(rows.find((item) => item.table === "AuditEvent")?.row.hash ?? "");
const insertSql = (insert: PreparedInsert, placeholder: (index: number) => string) =>
  `INSERT INTO "${insert.table}" (${insert.columns.map((column) => `"${column}"`).join(",")}) VALUES (${insert.columns.map((_, index) => placeholder(index)).join(",")})`;

const yearOf = (rows: RowTemplate[]) => Number(rows.find((item) => item.table === "MaRequest")?.row.year ?? 2031);

/** A writer of one submission's rows per call. */
export interface SubmissionWriter {
  insert(): void | Promise<void>;
  close(): void | Promise<void>;
}

/** SQLite through better-sqlite3: every statement prepared once, one transaction per submission. */
export function sqliteWriter(file: string, spec: StoreSpec): SubmissionWriter {
  const db = new Database(file);
  if (spec.pragmas) {
    db.pragma(`journal_mode = ${spec.pragmas.journalMode}`);
    db.pragma(`synchronous = ${spec.pragmas.synchronous}`);
  }
  const { tokens, inserts } = prepareInserts(spec.rows);
  const year = yearOf(spec.rows);
  const counter = db.prepare(COUNTER_SQL);
  const chain = db.prepare(CHAIN_SQL);
  const chainHead = db.prepare(CHAIN_HEAD_SQL);
  const hash = chainHashOf(spec.rows);
  const statements = inserts.map((insert) => db.prepare(insertSql(insert, () => "?")));
  // better-sqlite3 binds no booleans or dates: SQLite's own values were copied, so none arrive here.
  const store = db.transaction(() => {
    const { last } = counter.get(year) as { last: number };
    const fresh = tokens.map(freshLike);
    const { seq } = chain.get() as { seq: number };
    chainHead.run(hash);
    inserts.forEach((insert, index) => {
      statements[index]!.run(...(valuesFor(insert, fresh, { year, last }, seq) as unknown[]));
    });
  });
  return {
    insert: () => store(),
    close: () => {
      db.close();
    },
  };
}

/** PostgreSQL through pg: named statements (prepared once per connection), one transaction per submission. */
export function postgresWriter(url: string, spec: StoreSpec): SubmissionWriter {
  const client = new pg.Client({ connectionString: url });
  const ready = client.connect();
  const { tokens, inserts } = prepareInserts(spec.rows);
  const year = yearOf(spec.rows);
  const counterSql = COUNTER_SQL.replace("?", "$1");
  const hash = chainHashOf(spec.rows);
  const sqls = inserts.map((insert) => insertSql(insert, (index) => `$${index + 1}`));
  return {
    insert: async () => {
      await ready;
      await client.query("BEGIN");
      try {
        const { rows } = await client.query({ name: "bench-counter", text: counterSql, values: [year] });
        const fresh = tokens.map(freshLike);
        const chained = await client.query({ name: "bench-chain", text: CHAIN_SQL });
        await client.query({ name: "bench-chain-head", text: CHAIN_HEAD_SQL.replace("?", "$1"), values: [hash] });
        for (const [index, insert] of inserts.entries()) {
          await client.query({
            name: `bench-insert-${index}`,
            text: sqls[index]!,
            values: valuesFor(insert, fresh, { year, last: rows[0].last }, chained.rows[0].seq),
          });
        }
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    },
    close: () => client.end(),
  };
}

/** A spec written by the bench for a bare app in another process. */
export function readStoreSpec(file: string): StoreSpec {
  return JSON.parse(readFileSync(file, "utf8")) as StoreSpec;
}
