import type { Compilable, CompiledQuery, Insertable, Kysely, QueryCreator, QueryResult } from "kysely";
import { type DB, runCompiled } from "./kysely.js";

/*
 * Statements compiled once and run with new values (the hot paths' reads and writes), over
 * the Kysely instance src/db/kysely.ts makes. Only types come from "kysely" here: every
 * value is built with the instance's own methods (test/db/kysely-runtime.test.ts).
 */

/**
 * A value bound at each run of a statement compiled once (see `prepare`): `read` takes it from
 * what the run is given (named values, rows, lists), so a run builds no keyed copy of them.
 */
class Slot<Source = never> {
  constructor(readonly read: (source: Source) => unknown) {}
}

/** The parameters of `compiled` with each slot read from `source`. */
const fill = <Source>(compiled: CompiledQuery, source: Source): CompiledQuery => ({
  ...compiled,
  parameters: compiled.parameters.map((value) => (value instanceof Slot ? (value as Slot<Source>).read(source) : value)),
});

/**
 * A statement built and compiled once, run with new values: the hot paths' statements skip
 * Kysely's building and compiling on every call (measured: about a fifth of a submission's
 * CPU). `build` names each bound value with `slot(name)`; its type is the column's, so
 * `tsc` checks tables and columns as usual.
 */
export function prepare<Values extends Record<string, unknown>, Row>(
  db: Kysely<DB>,
  build: (slot: <K extends keyof Values & string>(name: K) => Values[K]) => Compilable<Row>,
): (values: Values) => Promise<QueryResult<Row>> {
  let compiled: CompiledQuery | undefined;
  return (values) => {
    compiled ??= build((name) => new Slot((values: Values) => values[name]) as never).compile();
    return runCompiled<Row>(db, fill(compiled, values));
  };
}

/**
 * An INSERT of whole rows into `table`, compiled once per shape (row count and columns):
 * the row type is the table's, so a wrong or missing column fails `tsc`.
 */
export function prepareInsert<Table extends keyof DB & string>(db: Kysely<DB>, table: Table) {
  const compiled = new Map<string, CompiledQuery>();
  return async (rows: ReadonlyArray<Insertable<DB[Table]>>): Promise<void> => {
    if (rows.length === 0) return;
    const columns = columnsOf({ table, rows });
    const shape = `${rows.length}:${columns.join(",")}`;
    let statement = compiled.get(shape);
    if (!statement) {
      const slots = rows.map((_, index) =>
        Object.fromEntries(
          columns.map((column) => [column, new Slot((given: typeof rows) => (given[index] as Record<string, unknown>)[column])]),
        ),
      );
      statement = db
        .insertInto(table)
        .values(slots as never)
        .compile();
      compiled.set(shape, statement);
    }
    await runCompiled(db, fill(statement, rows));
  };
}

/** One table's rows for {@link prepareInsertsTogether}: typed by the table where they are made. */
export interface TableRows {
  readonly table: keyof DB & string;
  readonly rows: ReadonlyArray<Record<string, unknown>>;
}

export const tableRows = <Table extends keyof DB & string>(table: Table, rows: ReadonlyArray<Insertable<DB[Table]>>): TableRows => ({
  table,
  rows: rows as ReadonlyArray<Record<string, unknown>>,
});

/** The columns every row of `part` sets (each must set the same ones). */
function columnsOf({ table, rows }: TableRows): string[] {
  const first = rows[0]!;
  const columns = Object.keys(first).filter((column) => first[column] !== undefined);
  for (const row of rows) {
    const defined = Object.keys(row).filter((column) => row[column] !== undefined);
    if (defined.length !== columns.length || defined.some((column) => first[column] === undefined)) {
      throw new Error(`rows inserted into ${table} together must set the same columns`);
    }
  }
  return columns;
}

/**
 * PostgreSQL only: the rows of several tables in one statement, each table but the last
 * inserted in a WITH clause (data-modifying CTEs; foreign keys are checked at the statement's
 * end), compiled once per shape (tables, row counts and columns). One round trip where
 * one INSERT per table was one each: on PostgreSQL every statement is a round trip.
 */
export function prepareInsertsTogether(db: Kysely<DB>): (parts: readonly TableRows[]) => Promise<void> {
  const compiled = new Map<string, CompiledQuery>();
  return async (all) => {
    const parts = all.filter((part) => part.rows.length > 0);
    const last = parts.at(-1);
    if (!last) return;
    const columns = parts.map(columnsOf);
    const shape = parts.map((part, index) => `${part.table}:${part.rows.length}:${columns[index]!.join(",")}`).join("|");
    let statement = compiled.get(shape);
    if (!statement) {
      const slots = (index: number) =>
        parts[index]!.rows.map((_, row) =>
          Object.fromEntries(
            columns[index]!.map((column) => [column, new Slot((given: typeof parts) => given[index]!.rows[row]![column])]),
          ),
        );
      let creator: QueryCreator<DB> = db;
      parts.slice(0, -1).forEach((part, index) => {
        creator = creator.with(`insert${index}`, (inner) => inner.insertInto(part.table).values(slots(index) as never)) as never;
      });
      statement = creator
        .insertInto(last.table)
        .values(slots(parts.length - 1) as never)
        .compile();
      compiled.set(shape, statement);
    }
    await runCompiled(db, fill(statement, parts));
  };
}

/** The most values one list of `prepareForLists` carries in one statement: longer lists are the caller's to split. */
export const LIST_MAX = 256;

/**
 * A statement over lists of values (`where id in (…)`), compiled once per shape: each list's
 * length is rounded up to a power of two with its last value repeated (`in` ignores the
 * repeat), so a handful of compiled statements serve every length up to {@link LIST_MAX}.
 * Every list must hold at least one value.
 */
export function prepareForLists<Row>(
  db: Kysely<DB>,
  build: (...lists: string[][]) => Compilable<Row>,
): (...lists: ReadonlyArray<readonly string[]>) => Promise<QueryResult<Row>> {
  const compiled = new Map<string, CompiledQuery>();
  return (...lists) => {
    const sizes = lists.map((list) => {
      if (list.length === 0 || list.length > LIST_MAX) throw new Error(`a prepared list holds 1 to ${LIST_MAX} values`);
      return 2 ** Math.ceil(Math.log2(list.length));
    });
    const shape = sizes.join(",");
    let statement = compiled.get(shape);
    if (!statement) {
      statement = build(
        ...sizes.map((size, list) =>
          Array.from(
            { length: size },
            // Past a list's end, its last value again (`in` ignores the repeat).
            (_, index) => new Slot((given: typeof lists) => given[list]![Math.min(index, given[list]!.length - 1)]) as never,
          ),
        ),
      ).compile();
      compiled.set(shape, statement);
    }
    return runCompiled<Row>(db, fill(statement, lists));
  };
}

/** `values` in pieces of at most {@link LIST_MAX}, for statements over lists. */
export function inPieces<T>(values: readonly T[]): T[][] {
  const pieces: T[][] = [];
  for (let start = 0; start < values.length; start += LIST_MAX) pieces.push(values.slice(start, start + LIST_MAX));
  return pieces;
}
