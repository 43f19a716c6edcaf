import { createAdapterFactory, type DatabaseTarget, parseDatabaseUrl } from "./database-url.js";
import type { PrismaClient as SqlitePrismaClient } from "./generated/sqlite/client.js";

/**
 * Both generated clients have the same models (a test keeps the schemas identical), so
 * repositories are written once against this type.
 */
export type Db = SqlitePrismaClient;

export interface Database {
  prisma: Db;
  target: DatabaseTarget;
  /** The folder made for a new SQLite file, if one was made. */
  createdFolder?: string;
  close(): Promise<void>;
}

/**
 * Opens the database DATABASE_URL names. Only that provider's generated client is loaded
 * (each brings its own query compiler): a SQLite bot never loads PostgreSQL's, and back.
 */
export async function openDatabase(urlOrTarget: string | DatabaseTarget): Promise<Database> {
  const target = typeof urlOrTarget === "string" ? parseDatabaseUrl(urlOrTarget) : urlOrTarget;
  if ("error" in target) throw new Error(`DATABASE_URL: ${target.error}`);
  const adapter = createAdapterFactory(target);
  const prisma =
    target.provider === "sqlite"
      ? new (await import("./generated/sqlite/client.js")).PrismaClient({ adapter: adapter.factory })
      : (new (await import("./generated/postgresql/client.js")).PrismaClient({ adapter: adapter.factory }) as unknown as Db);
  return {
    prisma,
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
