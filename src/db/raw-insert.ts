import type { Db } from "./client.js";

export type Provider = "sqlite" | "postgresql";
/** A client or an interactive transaction. */
type Raw = Pick<Db, "$executeRawUnsafe" | "$queryRawUnsafe">;

/** The n-th bind parameter (1-based) as each dialect writes it. */
const parameter = (provider: Provider, index: number) => (provider === "sqlite" ? "?" : `$${index}`);

/**
 * Inserts rows into one table with one raw statement. A Prisma model query costs about
 * three times a raw one on this stack (~340 µs against ~110 µs, measured in bench), and
 * a submission's request and case links go this way; rows carry every column without a database
 * default (ids and @updatedAt are made by Prisma's client, not the database).
 * Table and column names come from this code, never from input; values are bound.
 */
export async function insertRows(db: Raw, provider: Provider, table: string, rows: Array<Record<string, unknown>>): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const cells = columns.map((column) => {
      values.push(row[column]);
      return parameter(provider, values.length);
    });
    return `(${cells.join(", ")})`;
  });
  const names = columns.map((column) => `"${column}"`).join(", ");
  await db.$executeRawUnsafe(`INSERT INTO "${table}" (${names}) VALUES ${tuples.join(", ")}`, ...values);
}

/** The next number of the year's counter, created at 1: one statement, the row locked until commit. */
export async function nextRequestSeq(db: Raw, provider: Provider, year: number): Promise<number> {
  const rows = await db.$queryRawUnsafe<Array<{ last: number | bigint }>>(
    `INSERT INTO "RequestCounter" ("year", "last") VALUES (${parameter(provider, 1)}, 1)
     ON CONFLICT ("year") DO UPDATE SET "last" = "RequestCounter"."last" + 1 RETURNING "last"`,
    year,
  );
  return Number(rows[0]?.last);
}

/**
 * Claims an idempotency key for a new request in one statement: true when the key is new
 * (stored, naming `requestId`), false when a submission already holds it.
 */
export async function claimIdempotencyKey(db: Raw, provider: Provider, key: string, requestId: string, at: Date): Promise<boolean> {
  const rows = await db.$queryRawUnsafe<unknown[]>(
    `INSERT INTO "IdempotencyKey" ("key", "resultId", "createdAt") VALUES (${[1, 2, 3].map((index) => parameter(provider, index)).join(", ")})
     ON CONFLICT ("key") DO NOTHING RETURNING "key"`,
    key,
    requestId,
    at,
  );
  return rows.length > 0;
}
