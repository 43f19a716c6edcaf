import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import { afterEach, describe, expect, it } from "vitest";
import { driverErrorKind } from "../../src/db/connection.js";
import { decodeQueryCompilerText, GENERATED_BUILD, queryCompilerFile } from "../../src/db/query-compiler.js";
import { DATABASE_KINDS, POSTGRES_URL, type TestDatabase } from "../helpers/databases.js";

/**
 * What this project relies on inside Prisma and its driver adapters, each stated once. A
 * failure here after an upgrade names the file to change; nothing else would fail loudly.
 */

const require = createRequire(import.meta.url);
const packageJson = JSON.parse(await readFile(path.resolve(import.meta.dirname, "../../package.json"), "utf8")) as {
  dependencies: Record<string, string>;
};

const empty = { args: [], argTypes: [] };

describe("the driver adapter's transaction protocol (src/db/connection.ts)", () => {
  const opened: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of opened.splice(0)) await close();
  });

  async function sqliteAdapter(): Promise<SqlDriverAdapter> {
    const file = path.join(tmpdir(), `ma-internals-${randomUUID()}.db`);
    const adapter = await new PrismaBetterSqlite3({ url: `file:${file}` }).connect();
    opened.push(async () => {
      await adapter.dispose();
      await rm(file, { force: true });
    });
    return adapter;
  }

  it("begins in startTransaction and leaves COMMIT to the caller: commit() only releases the connection", async () => {
    const adapter = await sqliteAdapter();
    await adapter.executeRaw({ sql: `CREATE TABLE "t" ("v" INTEGER)`, ...empty });
    const tx = await adapter.startTransaction();
    // If this fails: Prisma changed who sends BEGIN/COMMIT. Change shareAdapter's transaction()
    // in src/db/connection.ts to the new protocol (see how @prisma/client's TransactionManager ends one).
    expect(tx.options.usePhantomQuery, "the adapter's transaction options changed: see src/db/connection.ts").toBe(false);
    await tx.executeRaw({ sql: `INSERT INTO "t" VALUES (1)`, ...empty });
    await tx.executeRaw({ sql: "COMMIT", ...empty });
    await tx.commit();
    const rows = await adapter.queryRaw({ sql: `SELECT "v" FROM "t"`, ...empty });
    expect(rows.rows, "COMMIT sent by the caller no longer commits: see src/db/connection.ts").toEqual([[1]]);
    // A second transaction can start: commit() released the adapter's lock.
    const next = await adapter.startTransaction();
    await next.executeRaw({ sql: "ROLLBACK", ...empty });
    await next.rollback();
  });

  it("runs a statement outside the transaction on its one connection at once (why SQLite's statements queue)", async () => {
    const adapter = await sqliteAdapter();
    await adapter.executeRaw({ sql: `CREATE TABLE "t" ("v" INTEGER)`, ...empty });
    const tx = await adapter.startTransaction();
    await adapter.executeRaw({ sql: `INSERT INTO "t" VALUES (2)`, ...empty });
    await tx.executeRaw({ sql: "ROLLBACK", ...empty });
    await tx.rollback();
    // If this fails, the adapter now keeps statements out of an open transaction itself, and
    // the queue in src/db/connection.ts (oneAtATime) can go.
    expect((await adapter.queryRaw({ sql: `SELECT "v" FROM "t"`, ...empty })).rows).toEqual([]);
  });

  it("has no members beyond those connection.ts forwards", async () => {
    const adapter = await sqliteAdapter();
    const forwarded = [
      "provider",
      "adapterName",
      "queryRaw",
      "executeRaw",
      "executeScript",
      "startTransaction",
      "getConnectionInfo",
      "dispose",
    ];
    const members = new Set<string>();
    for (let proto = adapter; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const name of Object.getOwnPropertyNames(proto)) members.add(name);
    }
    // Internal helpers of the adapter classes, not part of SqlDriverAdapter.
    const internal = ["constructor", "client", "adapterOptions", "performIO", "executeIO", "onError"];
    const unforwarded = [...members].filter((name) => !forwarded.includes(name) && !internal.includes(name));
    expect(unforwarded, "the SQLite adapter grew members: forward them in guarded() of src/db/connection.ts").toEqual([]);
  });
});

describe.each(DATABASE_KINDS)("driver error kinds ($name)", (kind) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.dispose();
    db = undefined;
  });

  it("names a unique violation the same through Kysely (the adapter's error) and the client (P2002's meta)", async () => {
    db = await kind.create();
    const { prisma, kysely } = db.database;
    const row = { key: "k", resultId: "r", createdAt: new Date() };
    await kysely.insertInto("IdempotencyKey").values(row).execute();
    const direct = await kysely
      .insertInto("IdempotencyKey")
      .values(row)
      .execute()
      .catch((error: unknown) => error);
    const throughClient = await prisma.idempotencyKey.create({ data: row }).catch((error: unknown) => error);
    // If these fail, the error shapes read by driverErrorKind (src/db/connection.ts) changed.
    expect(driverErrorKind(direct), "DriverAdapterError.cause.kind moved: see driverErrorKind").toBe("UniqueConstraintViolation");
    expect((throughClient as { code?: string }).code).toBe("P2002");
  });
});

describe("the schema engine as WebAssembly (src/db/schema-engine.ts)", () => {
  it("is the pinned build, loaded by hand from its wasm-bindgen bundler files", async () => {
    const pinned = packageJson.dependencies["@prisma/schema-engine-wasm"];
    const bgFile = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const installed = JSON.parse(await readFile(path.join(path.dirname(bgFile), "package.json"), "utf8")).version;
    // No stable release of the package exists yet (every version is a prerelease): when one
    // does, pin it, and when the CLI can migrate offline, drop src/db/schema-engine.ts for it.
    expect(installed, "the schema engine changed: run test/db/migrate.test.ts and schema.test.ts, then pin it").toBe(pinned);
    const bg = (await import(bgFile)) as Record<string, unknown>;
    expect(typeof bg.__wbg_set_wasm, "no longer a wasm-bindgen bundler build: change loadSchemaEngineModule").toBe("function");
    expect(typeof bg.SchemaEngine).toBe("function");
    await expect(readFile(path.join(path.dirname(bgFile), "schema_engine_bg.wasm"))).resolves.toBeInstanceOf(Buffer);
  });

  it("still needs its two introspection fixes: one statement per better-sqlite3 call, adapter-pg's performIO", async () => {
    const file = path.join(tmpdir(), `ma-internals-${randomUUID()}.db`);
    const adapter = await new PrismaBetterSqlite3({ url: `file:${file}` }).connect();
    try {
      const refused = await adapter
        .executeRaw({ sql: `CREATE TABLE "a" ("v" INTEGER); CREATE TABLE "b" ("v" INTEGER);`, ...empty })
        .then(() => "ran both")
        .catch(() => "refused");
      // If it runs both now, withIntrospectionFixes' SQLite half in src/db/schema-engine.ts can go.
      expect(refused, "better-sqlite3 now runs several statements per call: drop the SQLite fix").toBe("refused");
    } finally {
      await adapter.dispose();
      await rm(file, { force: true });
    }
    const pg = new PrismaPg({ connectionString: POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:9/none" });
    const connection = (await pg.connect().catch(() => undefined)) as unknown as
      | { performIO?: unknown; dispose(): Promise<void> }
      | undefined;
    if (connection) {
      try {
        // withIntrospectionFixes wraps adapter-pg's performIO to read pg_catalog's "char" columns.
        expect(typeof connection.performIO, "adapter-pg's performIO is gone: change withIntrospectionFixes").toBe("function");
      } finally {
        await connection.dispose();
      }
    }
  });
});

describe("the query compiler, loaded so its base64 text is released (src/db/query-compiler.ts)", () => {
  const load = (...args: string[]) => {
    const child = spawnSync(process.execPath, ["--import", "tsx", "test/helpers/query-compiler-load.ts", ...args], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      encoding: "utf8",
    });
    expect(child.stderr).toBe("");
    return JSON.parse(child.stdout) as {
      loaded: string[];
      planned: string;
      stillCached: string[];
      waitingBefore: boolean;
      waitingAfter: boolean;
      waitingAfterSecond: boolean;
    };
  };

  it("is loaded through __internal.configOverride from the CommonJS file, which then leaves require's cache", () => {
    const result = load();
    // If this fails, Prisma no longer calls configOverride (or no longer loads the compiler
    // through compilerWasm): the client still works, but the ES module and its ≈ 9 MB of
    // base64 stay loaded. Find the new hook, or remove releasingQueryCompiler from client.ts.
    expect(result.loaded, "Prisma ignored releasingQueryCompiler: see src/db/query-compiler.ts").toEqual([
      queryCompilerFile({ compilerWasm: { importName: GENERATED_BUILD } as never, activeProvider: "sqlite" }),
    ]);
    // P2021: the query was planned by the compiler so loaded and sent (the table does not exist).
    expect(result.planned).toBe("P2021");
    expect(result.stillCached).toEqual([]);
    expect(result.waitingBefore).toBe(false);
  });

  it("takes the compile serve started ahead, when the generated client names the build prefetched", () => {
    const result = load("prefetch");
    expect(result.waitingBefore).toBe(true);
    // Still waiting: the generated client names another build than GENERATED_BUILD (change it),
    // and every start compiles the query compiler twice.
    expect(result.waitingAfter, "the prefetched compile was not taken: see GENERATED_BUILD in src/db/query-compiler.ts").toBe(false);
    expect(result.planned).toBe("P2021");
    // Prisma compiles once per provider and process: a compile started for a second client would never be taken.
    expect(result.waitingAfterSecond).toBe(false);
  });

  it("reads each provider's base64 file as text, to the bytes requiring it gives", async () => {
    for (const activeProvider of ["sqlite", "postgresql"] as const) {
      const file = queryCompilerFile({ compilerWasm: { importName: GENERATED_BUILD } as never, activeProvider });
      // undefined: the file's text changed shape; queryCompilerBytes falls back to require (≈ 90 ms more per start).
      const decoded = decodeQueryCompilerText(await readFile(file));
      expect(decoded, `${file} is no longer \`const wasm = "…"; module.exports = { wasm }\`: see src/db/query-compiler.ts`).toBeDefined();
      expect(decoded?.equals(Buffer.from(require(file).wasm, "base64"))).toBe(true);
      delete require.cache[file];
    }
    expect(decodeQueryCompilerText(Buffer.from('module.exports = { wasm: "AGFzbQ==" }'))).toBeUndefined();
  });

  it("finds the CommonJS twin of each provider's compiler", () => {
    for (const activeProvider of ["sqlite", "postgresql"] as const) {
      const file = queryCompilerFile({ compilerWasm: { importName: "./query_compiler_fast_bg.js" } as never, activeProvider });
      // Its name is the generated client's ES module's, minus the "m" of ".mjs".
      expect(require(file).wasm, `${file} no longer exports wasm: see src/db/query-compiler.ts`).toMatch(/^AGFzbQ/);
    }
    expect(() => queryCompilerFile({ compilerWasm: { importName: "./renamed.js" } as never, activeProvider: "sqlite" })).toThrow(
      /no longer named as src\/db\/query-compiler.ts expects/,
    );
  });
});
