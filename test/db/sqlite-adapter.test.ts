import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { ArgScalarType, SqlDriverAdapter, SqlQuery, SqlResultSet } from "@prisma/driver-adapter-utils";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CachedBetterSqlite3 } from "../../src/db/sqlite-adapter.js";

/**
 * src/db/sqlite-adapter.ts mirrors @prisma/adapter-better-sqlite3 but prepares each statement
 * once. Here both run the same statements on twin files and must answer alike: values, column
 * types, errors, transactions. A failure after upgrading Prisma means its adapter changed:
 * port the change to src/db/sqlite-conversion.ts or sqlite-adapter.ts (or drop ours if
 * Prisma's adapter now caches statements itself).
 */

const MESSAGE = "Prisma's better-sqlite3 adapter now answers differently: port the change to src/db/sqlite-conversion.ts";

const q = (sql: string, args: Array<[unknown, ArgScalarType]> = []): SqlQuery => ({
  sql,
  args: args.map(([value]) => value),
  argTypes: args.map(([, scalarType]) => ({ scalarType, arity: "scalar" as const })),
});

const SCHEMA = `CREATE TABLE "t" (
  "id" INTEGER PRIMARY KEY, "big" BIGINT, "real" REAL, "dec" DECIMAL, "at" DATETIME, "flag" BOOLEAN,
  "text" TEXT NOT NULL, "blob" BLOB, "json" JSONB, "day" DATE, "untyped", "u" TEXT UNIQUE
);
CREATE TABLE "child" ("id" INTEGER PRIMARY KEY, "parent" INTEGER NOT NULL REFERENCES "t"("id"));`;

const INSERT = `INSERT INTO "t" ("id","big","real","dec","at","flag","text","blob","json","day","untyped","u") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`;

const ROWS: Array<Array<[unknown, ArgScalarType]>> = [
  [
    ["1", "int"],
    ["9007199254740993", "bigint"],
    ["1.25", "float"],
    ["12.5", "decimal"],
    [new Date("2026-12-01T19:51:14.123Z"), "datetime"],
    [true, "boolean"],
    ["héllo", "string"],
    [Buffer.from([0, 1, 255]).toString("base64"), "bytes"],
    [JSON.stringify({ a: [1, "x"] }), "json"],
    ["2026-12-01", "string"],
    [2.5, "float"],
    ["one", "string"],
  ],
  [
    [2, "int"],
    [BigInt(7), "bigint"],
    [null, "float"],
    [null, "decimal"],
    ["2026-12-02T00:00:00.000Z", "datetime"],
    [false, "boolean"],
    ["", "string"],
    [null, "bytes"],
    [null, "json"],
    [null, "string"],
    ["text", "string"],
    [null, "string"],
  ],
];

const READS = [
  q(`SELECT * FROM "t" ORDER BY "id"`),
  q(`SELECT "id", "at", "flag", "blob" FROM "t" WHERE "at" >= ? AND "flag" = ?`, [
    [new Date("2026-12-01T00:00:00Z"), "datetime"],
    [true, "boolean"],
  ]),
  q(`SELECT count(*) AS "n", max("real") AS "m", NULL AS "nothing", 'x' AS "s", x'00ff' AS "b", 1.5 AS "f" FROM "t"`),
  q(`SELECT "untyped", "big" + 1 AS "sum", CAST("at" AS INTEGER) AS "cast" FROM "t" WHERE "id" = ?`, [["2", "int"]]),
  q(`SELECT "id" FROM "t" WHERE "id" > ?`, [[99, "int"]]),
  q(`UPDATE "t" SET "real" = ? WHERE "id" = ? RETURNING "id", "real", "at"`, [
    ["3.5", "float"],
    [2, "int"],
  ]),
  q(`UPDATE "t" SET "text" = 'same' WHERE "id" = 99`),
];

const FAILING = [
  q(INSERT, ROWS[0]),
  q(`INSERT INTO "t" ("id", "text") VALUES (3, NULL)`),
  q(`INSERT INTO "child" ("id", "parent") VALUES (1, 42)`),
  q(`SELECT * FROM "missing"`),
  q(`SELECT "nope" FROM "t"`),
  q(`INSERT INTO "t" ("nope") VALUES (1)`),
  q(`SELEC 1`),
  q(`SELECT 1; SELECT 2`),
];

type Pair = { prisma: SqlDriverAdapter; ours: SqlDriverAdapter };
describe("CachedBetterSqlite3 against @prisma/adapter-better-sqlite3", () => {
  const cleanups: Array<() => Promise<void>> = [];
  const files = new Map<SqlDriverAdapter, string>();
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function pair(options: { timestampFormat?: "iso8601" | "unixepoch-ms" } = {}): Promise<Pair> {
    const open = async (make: (url: string) => { connect(): Promise<SqlDriverAdapter> }) => {
      const file = path.join(tmpdir(), `ma-sqlite-adapter-${randomUUID()}.db`);
      const adapter = await make(`file:${file}`).connect();
      files.set(adapter, file);
      cleanups.push(() => adapter.dispose().then(() => rm(file, { force: true })));
      await adapter.executeScript(SCHEMA);
      return adapter;
    };
    return {
      prisma: await open((url) => new PrismaBetterSqlite3({ url, timeout: 5_000 }, options)),
      ours: await open((url) => new CachedBetterSqlite3({ url, timeout: 5_000 }, options)),
    };
  }

  async function both<T>(adapters: Pair, run: (adapter: SqlDriverAdapter) => Promise<T>) {
    // Prisma's executeScript throws rather than rejects; either way is an error here.
    const settle = async (adapter: SqlDriverAdapter) => {
      try {
        return { value: await run(adapter) };
      } catch (error) {
        const { name, message, cause } = error as Error;
        return { error: { name, message, cause } };
      }
    };
    return { prisma: await settle(adapters.prisma), ours: await settle(adapters.ours) };
  }

  it.each(["iso8601", "unixepoch-ms"] as const)(
    "writes and reads every column type alike (timestampFormat %s)",
    async (timestampFormat) => {
      const adapters = await pair({ timestampFormat });
      for (const row of ROWS) {
        const written = await both(adapters, (adapter) => adapter.executeRaw(q(INSERT, row)));
        expect(written.ours, MESSAGE).toEqual(written.prisma);
      }
      // Twice: the second run is answered by statements already prepared, with new arguments.
      for (const round of [1, 2]) {
        for (const read of READS) {
          const result = await both(adapters, (adapter) => adapter.queryRaw(read));
          expect(result.ours, `${MESSAGE} (round ${round}: ${read.sql})`).toEqual(result.prisma);
        }
      }
    },
  );

  it("fails alike: unique, not-null and foreign-key violations, missing tables and columns, bad SQL", async () => {
    const adapters = await pair();
    await both(adapters, (adapter) => adapter.executeRaw(q(INSERT, ROWS[0])));
    for (const query of FAILING) {
      for (const method of ["queryRaw", "executeRaw"] as const) {
        const result = await both(adapters, (adapter): Promise<unknown> => adapter[method](query));
        expect(result.prisma, `${query.sql} no longer fails`).toHaveProperty("error");
        expect(result.ours, `${MESSAGE} (${method} ${query.sql})`).toEqual(result.prisma);
      }
    }
    const script = await both(adapters, (adapter) => adapter.executeScript(`CREATE TABLE "t" ("x")`));
    expect(script.ours, MESSAGE).toEqual(script.prisma);
  });

  it("runs transactions alike: BEGIN on start, COMMIT and ROLLBACK from the caller, savepoints, isolation levels", async () => {
    const adapters = await pair();
    const run = async (adapter: SqlDriverAdapter) => {
      const tx = await adapter.startTransaction();
      await tx.executeRaw(q(INSERT, ROWS[0]));
      await tx.createSavepoint?.("s1");
      await tx.executeRaw(q(INSERT, ROWS[1]));
      await tx.rollbackToSavepoint?.("s1");
      await tx.releaseSavepoint?.("s1");
      await tx.executeRaw(q("COMMIT"));
      await tx.commit();
      const second = await adapter.startTransaction("SERIALIZABLE");
      await second.executeRaw(q(`DELETE FROM "t"`));
      await second.executeRaw(q("ROLLBACK"));
      await second.rollback();
      const refused = await adapter.startTransaction("READ COMMITTED").catch((error: Error) => error.cause);
      return { options: tx.options, rows: (await adapter.queryRaw(q(`SELECT "id" FROM "t"`))).rows, refused };
    };
    const result = await both(adapters, run);
    expect(result.prisma).toHaveProperty("value.rows", [[1]]);
    expect(result.ours, MESSAGE).toEqual(result.prisma);
  });

  it("starts one transaction at a time, the next when the first has ended", async () => {
    const adapters = await pair();
    const run = async (adapter: SqlDriverAdapter) => {
      const order: string[] = [];
      const first = await adapter.startTransaction();
      const second = adapter.startTransaction().then((tx) => {
        order.push("second began");
        return tx;
      });
      await new Promise((resolve) => setImmediate(resolve));
      // Outside any transaction a statement runs at once, joining the open one (why
      // src/db/connection.ts queues SQLite's statements itself).
      await adapter.queryRaw(q("SELECT 1"));
      order.push("statement ran");
      order.push("first ends");
      await first.executeRaw(q("COMMIT"));
      await first.commit();
      const tx = await second;
      await tx.executeRaw(q("COMMIT"));
      await tx.commit();
      return order;
    };
    const result = await both(adapters, run);
    expect(result.prisma).toEqual({ value: ["statement ran", "first ends", "second began"] });
    expect(result.ours, MESSAGE).toEqual(result.prisma);
  });

  it.each(["its own", "another"])("sees a column added on %s connection after a statement was prepared", async (which) => {
    const adapters = await pair();
    const run = async (adapter: SqlDriverAdapter) => {
      await adapter.executeRaw(q(INSERT, ROWS[1]));
      const before = await adapter.queryRaw(q(`SELECT * FROM "t"`));
      const alter = `ALTER TABLE "t" ADD COLUMN "added" TEXT DEFAULT 'new'`;
      if (which === "its own") await adapter.executeScript(alter);
      else {
        // A migration run by another process while the server is up.
        const other = new Database(files.get(adapter)!);
        other.exec(alter);
        other.close();
      }
      return { before, after: await adapter.queryRaw(q(`SELECT * FROM "t"`)) };
    };
    const result = await both(adapters, run);
    const after = (result.ours as { value: { after: SqlResultSet } }).value.after;
    expect(after.columnNames).toContain("added");
    expect(after.rows[0]).toHaveLength(after.columnNames.length);
    // On another connection Prisma's adapter (7.10) reads the columns before the statement runs
    // and SQLite prepares it again, so it names 12 columns beside rows of 13; ours names all 13.
    if (which === "its own") expect(result.ours, MESSAGE).toEqual(result.prisma);
  });

  it("prepares a statement once however often it runs, and keeps working past the cache's bound", async () => {
    const { ours } = await pair();
    const prepare = vi.spyOn(Database.prototype, "prepare");
    for (let index = 0; index < 5; index++)
      await ours.executeRaw(q(`INSERT INTO "child" ("parent") SELECT "id" FROM "t" WHERE "id" = ?`, [[index, "int"]]));
    expect(prepare).toHaveBeenCalledTimes(1);
    // More distinct statements than the cache keeps: the oldest are dropped and prepared again.
    for (let index = 0; index < 450; index++) {
      const result = await ours.queryRaw(q(`SELECT ? + ${index % 300} AS "n"`, [[1, "int"]]));
      expect(result.rows).toEqual([[1 + (index % 300)]]);
    }
    expect(prepare.mock.calls.length).toBeGreaterThan(300);
  });

  it("reads a statement's columns once per schema version, again after a migration on another connection", async () => {
    const { ours } = await pair();
    await ours.executeRaw(q(INSERT, ROWS[1]));
    const statement = Object.getPrototypeOf(new Database(":memory:").prepare("SELECT 1")) as { columns(): unknown };
    const columns = vi.spyOn(statement, "columns");
    const read = () => ours.queryRaw(q(`SELECT * FROM "t"`));
    const first = await read();
    expect(await read()).toEqual(first);
    expect(columns).toHaveBeenCalledTimes(1);
    const other = new Database(files.get(ours)!);
    other.exec(`ALTER TABLE "t" ADD COLUMN "added" TEXT DEFAULT 'new'`);
    other.close();
    const widened = await read();
    expect(columns).toHaveBeenCalledTimes(2);
    expect(widened.columnNames).toEqual([...first.columnNames, "added"]);
    expect(widened.rows[0]).toEqual([...first.rows[0]!, "new"]);
  });
});
