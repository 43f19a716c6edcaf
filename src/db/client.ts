import { createAdapterFactory, type DatabaseTarget, parseDatabaseUrl } from "./database-url.js";
import type { PrismaClient as SqlitePrismaClient } from "./generated/sqlite/client.js";
import { type Sql, shareAdapter } from "./sql.js";

/**
 * Both generated clients have the same models (a test keeps the schemas identical), so
 * repositories are written once against this type.
 */
export type Db = SqlitePrismaClient;

export interface Database {
  prisma: Db;
  /** The hot paths' statements, on the connection Prisma's client uses (see sql.ts). */
  sql: Sql;
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
  const adapter = createAdapterFactory(target);
  // Connects the client on the first statement sent before any query of its own.
  const shared = shareAdapter(adapter.factory, () => prisma.$connect(), options.onQuery);
  // Query events only when someone listens (the bench counts a submission's statements).
  const settings = { adapter: shared.factory, ...(options.onQuery ? { log: [{ emit: "event" as const, level: "query" as const }] } : {}) };
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
    sql: shared.sql,
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
  await database.prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
}
