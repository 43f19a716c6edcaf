import { v7 as uuidv7 } from "uuid";
import type { SqlRunner, SqlValue } from "./sql.js";

/**
 * A row id made here for rows written without Prisma's client. Time-ordered (UUID v7,
 * monotonic within the process), as Prisma's cuid() is: history and the outbox break
 * ties on id, so an id must sort after every id made before it.
 */
export const newRowId = (): string => uuidv7();

/** The n-th bind parameter (1-based) as each dialect writes it: for statements built column by column. */
const parameter = (provider: SqlRunner["provider"], index: number) => (provider === "sqlite" ? "?" : `$${index}`);

/**
 * Inserts rows into one table with one statement; rows carry every column without a
 * database default (Prisma's client, not the database, makes ids and @updatedAt).
 * Table and column names come from this code, never from input; values are bound.
 */
export async function insertRows(db: SqlRunner, table: string, rows: Array<Record<string, SqlValue>>): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const values: SqlValue[] = [];
  const tuples = rows.map((row) => {
    const cells = columns.map((column) => {
      values.push(row[column] ?? null);
      return parameter(db.provider, values.length);
    });
    return `(${cells.join(", ")})`;
  });
  const names = columns.map((column) => `"${column}"`).join(", ");
  await db.execute(`INSERT INTO "${table}" (${names}) VALUES ${tuples.join(", ")}`, values);
}

/** The next number of the year's counter, created at 1: one statement, the row locked until commit. */
export async function nextRequestSeq(db: SqlRunner, year: number): Promise<number> {
  const rows = await db.rows<{ last: number | bigint }>`INSERT INTO "RequestCounter" ("year", "last") VALUES (${year}, 1)
     ON CONFLICT ("year") DO UPDATE SET "last" = "RequestCounter"."last" + 1 RETURNING "last"`;
  return Number(rows[0]?.last);
}

/**
 * Claims an idempotency key for a new request in one statement: true when the key is new
 * (stored, naming `requestId`), false when a submission already holds it.
 */
export async function claimIdempotencyKey(db: SqlRunner, key: string, requestId: string, at: Date): Promise<boolean> {
  const rows = await db.rows`INSERT INTO "IdempotencyKey" ("key", "resultId", "createdAt") VALUES (${key}, ${requestId}, ${at})
     ON CONFLICT ("key") DO NOTHING RETURNING "key"`;
  return rows.length > 0;
}
