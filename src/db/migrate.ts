import { sealAuditChain } from "./audit-chain.js";
import type { Database } from "./client.js";
import { DatabaseUnavailableError } from "./connection-check.js";
import type { DatabaseTarget } from "./database-url.js";
import { checkReadiness } from "./readiness.js";
import { NO_FILTERS, openSchemaEngine, readMigrationList } from "./schema-engine.js";

/**
 * Applies pending migrations from prisma/<provider>/migrations, recording them in
 * `_prisma_migrations` exactly as `prisma migrate deploy` does. Returns the names applied.
 */
export async function applyMigrations(target: DatabaseTarget): Promise<string[]> {
  const open = await openSchemaEngine(target);
  try {
    const migrationsList = await readMigrationList(target.provider);
    const result = await open.engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return result.appliedMigrationNames;
  } catch (error) {
    // The engine locks a SQLite file for itself, which it cannot while another process
    // (a running bot) has it open; it then fails with a stack trace of its own.
    if (target.provider === "sqlite" && open.driverErrorKinds.has("SocketTimeout")) {
      throw new DatabaseUnavailableError(
        `DATABASE_URL: another process (the running bot?) holds the SQLite file ${target.file}: stop it and run migrate again, or just restart the bot, which applies pending migrations when it starts`,
      );
    }
    throw error;
  } finally {
    await open.close();
  }
}

/**
 * Applies migrations only when some are pending: checking costs one query, while the
 * schema engine is a 5 MB WebAssembly module to load. Returns the names applied.
 */
export async function migrateIfNeeded(database: Database): Promise<string[]> {
  if ((await checkReadiness(database)).ready) return [];
  const applied = await applyMigrations(database.target);
  // Events written before the audit chain existed join it now, before any new one.
  await sealAuditChain(database);
  return applied;
}

/**
 * The SQL that would bring the migrations folder up to the schema; empty when they agree.
 * `from` is the migration history replayed on a shadow database (a temporary database on
 * PostgreSQL, in memory on SQLite).
 *
 * `schemaText` replaces the schema file's content (tests use it to prove drift is seen).
 */
export async function diffSchemaAgainstMigrations(target: DatabaseTarget, schemaText?: string): Promise<string> {
  const open = await openSchemaEngine(target);
  try {
    const list = await readMigrationList(target.provider);
    const from = list.migrationDirectories.length > 0 ? { tag: "migrations" as const, ...list } : { tag: "empty" as const };
    const schema = schemaText === undefined ? open.schema : { ...open.schema, content: schemaText };
    const result = await open.engine.diff({
      from,
      to: { tag: "schemaDatamodel", files: [schema] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return meaningfulSql(result.stdout ?? "");
  } finally {
    await open.close();
  }
}

/** Drops comment-only output such as "-- This is an empty migration." */
function meaningfulSql(script: string): string {
  const hasStatements = script.split("\n").some((line) => line.trim() !== "" && !line.trim().startsWith("--"));
  return hasStatements ? script : "";
}
