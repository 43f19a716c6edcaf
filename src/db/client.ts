import type { Kysely } from "kysely";
import { shareAdapter } from "./connection.js";
import { createAdapterFactory, type DatabaseTarget, parseDatabaseUrl } from "./database-url.js";
import type { Prisma, PrismaClient as SqlitePrismaClient } from "./generated/sqlite/client.js";
import { type DB, sql } from "./kysely.js";
import { prefetchQueryCompiler, releasingQueryCompiler } from "./query-compiler.js";

/**
 * Both generated clients have the same models (a test keeps the schemas identical), so
 * repositories are written once against this type.
 */
export type Db = SqlitePrismaClient;

/** The client inside an interactive transaction. */
export type TxClient = Prisma.TransactionClient;

export interface Database {
  prisma: Db;
  /**
   * Every statement Prisma's client does not write (the hot paths, dialect features), typed
   * from the schema, on the client's connection; inside a transaction below, in it.
   */
  kysely: Kysely<DB>;
  /** A transaction for `kysely`'s statements (see connection.ts); the client inside fails at once. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Prisma's interactive transaction, carried with the call: `kysely` inside runs in it, and
   * `prisma` (instead of `tx`) fails at once instead of waiting for the transaction to end.
   */
  interactive<T>(work: (tx: TxClient) => Promise<T>, options?: { timeout?: number; maxWait?: number }): Promise<T>;
  target: DatabaseTarget;
  /** The folder made for a new SQLite file, if one was made. */
  createdFolder?: string;
  close(): Promise<void>;
}

/**
 * Opens the database DATABASE_URL names. Only that provider's generated client is loaded
 * (each brings its own query compiler): a SQLite bot never loads PostgreSQL's, and back.
 */
export async function openDatabase(
  urlOrTarget: string | DatabaseTarget,
  options: { onQuery?: (sql: string) => void } = {},
): Promise<Database> {
  const target = typeof urlOrTarget === "string" ? parseDatabaseUrl(urlOrTarget) : urlOrTarget;
  if ("error" in target) throw new Error(`DATABASE_URL: ${target.error}`);
  // Read and compiled while the adapter and the generated client load (unless begun earlier).
  prefetchQueryCompiler(target.provider);
  const adapter = await createAdapterFactory(target);
  // Connects the client on the first statement sent before any query of its own.
  const shared = shareAdapter(adapter.factory, () => prisma.$connect(), options.onQuery);
  // Query events only when someone listens (the bench counts a submission's statements).
  const settings = { adapter: shared.factory, ...(options.onQuery ? { log: [{ emit: "event" as const, level: "query" as const }] } : {}) };
  // The runtime's own option (typed there), which the generated client's type leaves out.
  Object.assign(settings, { __internal: releasingQueryCompiler() });
  const prisma =
    target.provider === "sqlite"
      ? new (await import("./generated/sqlite/client.js")).PrismaClient(settings)
      : (new (await import("./generated/postgresql/client.js")).PrismaClient(settings) as unknown as Db);
  if (options.onQuery) {
    const listen = prisma as unknown as { $on(event: "query", listener: (event: { query: string }) => void): void };
    listen.$on("query", (event) => options.onQuery?.(event.query));
  }
  return {
    prisma,
    kysely: shared.kysely,
    transaction: shared.transaction,
    interactive: (work, transactionOptions) => shared.tracked(() => prisma.$transaction(work, transactionOptions)),
    target,
    createdFolder: adapter.createdFolder,
    close: async () => {
      await prisma.$disconnect();
      await adapter.dispose();
    },
  };
}

/** SQLite settings for a server that is read by the CLI while it runs. */
export async function tuneSqlite(database: Database): Promise<void> {
  if (database.target.provider !== "sqlite" || database.target.file === ":memory:") return;
  await sql`PRAGMA journal_mode = WAL`.execute(database.kysely);
}
