import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import { driverErrorKind } from "./connection.js";
import { createAdapterFactory, type DatabaseTarget } from "./database-url.js";

/**
 * Prisma's schema engine (the one behind `prisma migrate`), run as WebAssembly so that
 * migrations work offline: the CLI would download a native binary, which these machines
 * cannot. It writes the standard `_prisma_migrations` table, so `prisma migrate deploy`
 * works on the same folder and database for anyone with the CLI.
 */

const PROJECT_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

export function schemaPath(provider: DatabaseTarget["provider"]): string {
  return path.join(PROJECT_ROOT, "prisma", provider, "schema.prisma");
}

export function migrationsDir(provider: DatabaseTarget["provider"]): string {
  return path.join(PROJECT_ROOT, "prisma", provider, "migrations");
}

/** The slice of the WebAssembly global used here (TypeScript's Node lib does not declare it). */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: Record<string, unknown>): Promise<{ exports: Record<string, unknown> }>;
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmApi };

let wasmReady: Promise<typeof import("@prisma/schema-engine-wasm")> | undefined;

/** Loads the wasm-bindgen "bundler" build by hand: Node cannot import its .wasm directly. */
function loadSchemaEngineModule(): Promise<typeof import("@prisma/schema-engine-wasm")> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const bgFile = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bg = await import(pathToFileURL(bgFile).href);
    const bytes = await readFile(path.join(path.dirname(bgFile), "schema_engine_bg.wasm"));
    const module = await WebAssembly.compile(bytes);
    const instance = await WebAssembly.instantiate(module, { "./schema_engine_bg.js": bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bg as typeof import("@prisma/schema-engine-wasm");
  })();
  return wasmReady;
}

/** PostgreSQL's internal one-byte `"char"` type (pg_catalog columns such as relkind). */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * Two gaps between the schema engine and the driver adapters, met when it replays
 * migrations on a shadow database and reads the result back (diff, drift check):
 * - better-sqlite3 runs one statement per executeRaw, and the engine sends a whole
 *   migration at once: run those as a script;
 * - adapter-pg cannot type pg_catalog's `"char"` columns that the engine's introspection
 *   selects: read them as text, which is what they hold.
 */
function withIntrospectionFixes<T extends object>(connection: T): T {
  const target = connection as unknown as {
    provider: string;
    executeRaw?: (query: { sql: string; args: unknown[] }) => Promise<number>;
    executeScript?: (script: string) => Promise<void>;
    performIO?: (query: unknown) => Promise<{ fields: Array<{ dataTypeID: number }> }>;
  };
  const { executeRaw, executeScript, performIO } = target;
  if (target.provider === "sqlite" && executeRaw && executeScript) {
    target.executeRaw = async (query) => {
      try {
        return await executeRaw.call(connection, query);
      } catch (error) {
        const multiple =
          error instanceof RangeError || /more than one statement/.test(String((error as { cause?: unknown }).cause ?? error));
        if (!multiple || query.args.length > 0) throw error;
        await executeScript.call(connection, query.sql);
        return 0;
      }
    };
  }
  if (target.provider === "postgres" && performIO) {
    target.performIO = async (query) => {
      const result = await performIO.call(connection, query);
      for (const field of result?.fields ?? []) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
      return result;
    };
  }
  return connection;
}

export interface OpenEngine {
  engine: SchemaEngine;
  schema: { path: string; content: string };
  /**
   * The driver error kinds the engine's connections met (`SocketTimeout` is SQLite's
   * SQLITE_BUSY). The engine cannot read some of them back and reports only
   * "unknown variant", so callers classify its failures by these.
   */
  driverErrorKinds: Set<string>;
  close(): Promise<void>;
}

/** Records the driver error kind of every failed call on the connection and its transactions. */
function recordingFaults<T extends object>(connection: T, kinds: Set<string>): T {
  const record = (error: unknown) => {
    const kind = driverErrorKind(error);
    if (kind) kinds.add(kind);
    throw error;
  };
  return new Proxy(connection, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = value.apply(target, args);
        } catch (error) {
          record(error);
        }
        if (!(result instanceof Promise)) return result;
        // A transaction started here runs its statements through the same record.
        return result.then((settled) => (property === "startTransaction" && settled ? recordingFaults(settled, kinds) : settled), record);
      };
    },
  });
}

export async function openSchemaEngine(target: DatabaseTarget): Promise<OpenEngine> {
  const { SchemaEngine } = await loadSchemaEngineModule();
  const file = schemaPath(target.provider);
  const content = await readFile(file, "utf8");
  const adapter = await createAdapterFactory(target, "migrations");
  // The engine does not close the connections it opens; track them so close() can,
  // or SQLite stays locked for the rest of the process.
  const opened: Array<{ dispose(): Promise<void> }> = [];
  const driverErrorKinds = new Set<string>();
  const tracked = {
    provider: adapter.factory.provider,
    adapterName: adapter.factory.adapterName,
    connect: async () => {
      const connection = await adapter.factory.connect();
      opened.push(connection);
      return recordingFaults(withIntrospectionFixes(connection), driverErrorKinds);
    },
    connectToShadowDb: async () => {
      const connection = await adapter.factory.connectToShadowDb();
      opened.push(connection);
      return recordingFaults(withIntrospectionFixes(connection), driverErrorKinds);
    },
  } as typeof adapter.factory;
  const factory = bindMigrationAwareSqlAdapterFactory(tracked);
  const engine = await SchemaEngine.new({ datamodels: [[file, content]] }, () => {}, factory);
  return {
    engine,
    schema: { path: file, content },
    driverErrorKinds,
    close: async () => {
      engine.free();
      for (const connection of opened) await connection.dispose().catch(() => {});
      await adapter.dispose();
    },
  };
}

/** Reads `prisma/<provider>/migrations` in the shape the schema engine expects. */
export async function readMigrationList(provider: DatabaseTarget["provider"]): Promise<MigrationList> {
  const baseDir = migrationsDir(provider);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok" as const, value: await readFile(path.join(baseDir, name, "migration.sql"), "utf8") },
      },
    })),
  );
  const lockfilePath = path.join(baseDir, "migration_lock.toml");
  const lockfileContent = await readFile(lockfilePath, "utf8").catch(() => null);
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: lockfileContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };

/** Names of the migration folders shipped with the app, oldest first. */
export async function knownMigrationNames(provider: DatabaseTarget["provider"]): Promise<string[]> {
  const entries = await readdir(migrationsDir(provider), { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
