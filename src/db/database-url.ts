import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { PrismaPg } from "@prisma/adapter-pg";
import { CachedBetterSqlite3 } from "./sqlite-adapter.js";

/** Where the data lives, decided once from DATABASE_URL. */
export type DatabaseTarget = { provider: "sqlite"; file: string } | { provider: "postgresql"; url: string };

export const ACCEPTED_DATABASE_URLS = "file:<path> (SQLite) or postgresql://user@host:port/db (PostgreSQL)";

/** Returns the target, or an error message naming the accepted forms. */
export function parseDatabaseUrl(url: string): DatabaseTarget | { error: string } {
  if (url.startsWith("file:")) {
    const file = url.slice("file:".length).replace(/^\/\/(?=\/)/, "");
    if (file === "") return { error: `the SQLite path is empty; expected ${ACCEPTED_DATABASE_URLS}` };
    return { provider: "sqlite", file: file === ":memory:" ? file : path.resolve(file) };
  }
  if (/^postgres(ql)?:\/\/./.test(url)) {
    try {
      new URL(url);
    } catch {
      return { error: `not a valid URL; expected ${ACCEPTED_DATABASE_URLS}` };
    }
    return { provider: "postgresql", url };
  }
  return { error: `unsupported scheme; expected ${ACCEPTED_DATABASE_URLS}` };
}

/** PostgreSQL pool limits: the pg adapter's default waits forever for a connection. */
const PG_POOL = { max: 10, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000 };

export interface AdapterHandle {
  factory: CachedBetterSqlite3 | PrismaBetterSqlite3 | PrismaPg;
  /** The folder made for a new SQLite file, when there was none: the start says so. */
  createdFolder?: string;
  /** Ends the PostgreSQL pool; our pool, so the adapter does not end it for us. */
  dispose(): Promise<void>;
}

/**
 * The driver adapter for `target`; only the named database's driver is loaded (a SQLite bot
 * never holds pg's, and back). On SQLite the app's connection prepares each statement once
 * (src/db/sqlite-adapter.ts); `migrations` asks for Prisma's own adapter, which the schema
 * engine's introspection fixes were written and tested against (src/db/schema-engine.ts) and
 * where a statement prepared per query costs nothing that matters.
 */
export async function createAdapterFactory(target: DatabaseTarget, use: "app" | "migrations" = "app"): Promise<AdapterHandle> {
  if (target.provider === "sqlite") {
    const createdFolder = target.file === ":memory:" ? undefined : mkdirSync(path.dirname(target.file), { recursive: true });
    const config = { url: target.file, timeout: 5_000 };
    if (use === "app") return { factory: new CachedBetterSqlite3(config), dispose: async () => {}, createdFolder };
    const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
    return { factory: new PrismaBetterSqlite3(config), dispose: async () => {}, createdFolder };
  }
  const [{ PrismaPg }, { default: pg }] = await Promise.all([import("@prisma/adapter-pg"), import("pg")]);
  const pool = new pg.Pool({ connectionString: target.url, ...PG_POOL });
  // An idle client that loses its connection emits "error" on the pool; without a
  // listener that would crash the process. The next query reconnects.
  pool.on("error", () => {});
  return { factory: new PrismaPg(pool), dispose: () => pool.end() };
}
