import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { type Database, openDatabase, tuneSqlite } from "../../src/db/client.js";
import type { DatabaseTarget } from "../../src/db/database-url.js";
import { loadDemoDataOnce } from "../../src/db/demo-data.js";
import { applyMigrations } from "../../src/db/migrate.js";

/**
 * The databases every repository test runs on: SQLite always, PostgreSQL when
 * TEST_POSTGRES_URL is set (CI sets it and fails when the server is unreachable).
 * Each call gives a fresh, migrated database of its own, so test files run in parallel.
 */
export interface TestDatabase {
  database: Database;
  /** The DATABASE_URL of this database, for child processes. */
  url: string;
  dispose(): Promise<void>;
}

export interface DatabaseKind {
  name: "sqlite" | "postgresql";
  /** A fresh empty database; `migrate: false` leaves it without tables. */
  create(options?: { migrate?: boolean }): Promise<TestDatabase>;
}

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL;

async function createSqlite(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const file = path.join(tmpdir(), `ma-test-${randomUUID()}.db`);
  const target: DatabaseTarget = { provider: "sqlite", file };
  if (options.migrate !== false) await applyMigrations(target);
  const database = await openDatabase(target);
  // As the server runs it: write-ahead log, so readers do not wait for writers.
  if (options.migrate !== false) await tuneSqlite(database);
  return {
    database,
    url: `file:${file}`,
    dispose: async () => {
      await database.close();
      await Promise.all(["", "-wal", "-shm", "-journal"].map((suffix) => rm(file + suffix, { force: true })));
    },
  };
}

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function createPostgres(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `ma_test_${randomUUID().replace(/-/g, "")}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = withDatabaseName(POSTGRES_URL ?? "", name);
  const target: DatabaseTarget = { provider: "postgresql", url };
  if (options.migrate !== false) await applyMigrations(target);
  const database = await openDatabase(target);
  return {
    database,
    url,
    dispose: async () => {
      await database.close();
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

const SQLITE: DatabaseKind = { name: "sqlite", create: createSqlite };
const POSTGRESQL: DatabaseKind = { name: "postgresql", create: createPostgres };

export const DATABASE_KINDS: DatabaseKind[] = [SQLITE, ...(POSTGRES_URL ? [POSTGRESQL] : [])];

/**
 * The database of an end-to-end file (servers and processes, too slow to run every test
 * twice in one file): SQLite, or PostgreSQL in the vitest project that sets
 * TEST_END_TO_END_DATABASE (vitest.config.ts runs every file using this constant there too).
 */
export const END_TO_END_DATABASE: DatabaseKind = endToEndDatabase();

function endToEndDatabase(): DatabaseKind {
  if (process.env.TEST_END_TO_END_DATABASE !== "postgresql") return SQLITE;
  if (!POSTGRES_URL) throw new Error("TEST_END_TO_END_DATABASE=postgresql needs TEST_POSTGRES_URL");
  return POSTGRESQL;
}

/**
 * The person fixtures name as subscriber (`createdById: "x"`): faculty, so the
 * subscriptions' reminders may go out (the dispatcher checks the subscriber still may see).
 */
export async function createSubscriber(prisma: Database["prisma"], role = "faculty"): Promise<void> {
  await prisma.person.create({
    data: { id: "x", displayName: "Subscriber", roles: { create: { role, scope: role === "case-viewer" ? "BN" : "" } } },
  });
}

/**
 * The demo cases the bot loads into a fresh SQLite file, loaded into PostgreSQL too (the bot
 * does not seed a server database), so end-to-end case lookups find the same cases on both.
 */
export async function withDemoCases(database: Database, timeZone = "America/New_York"): Promise<void> {
  await loadDemoDataOnce(database, timeZone, new Date());
}
