import type { Config } from "../config.js";
import { type Database, openDatabase } from "../db/client.js";
import { checkDatabaseConnection } from "../db/connection-check.js";
import { migrateIfNeeded } from "../db/migrate.js";

/** A mistake in how the command was typed: exit status 2, with the usage. */
export class UsageError extends Error {}

/**
 * A value typed in the wrong form (an identity, a date, a format): exit status 2 with one
 * line that says what was wrong, since the usage would only repeat what the person typed.
 */
export class BadValueError extends UsageError {}

export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Opens the configured database for one command, migrating first so commands work on a fresh file. */
export async function withDatabase<T>(config: Config, run: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(config.DATABASE_URL);
  try {
    await checkDatabaseConnection(database);
    await migrateIfNeeded(database);
    return await run(database);
  } finally {
    await database.close();
  }
}

/**
 * The chat adapters (Bolt, teams-ai, botbuilder) take seconds to load: only the commands
 * that talk to chat load them.
 */
export const loadApp = () => import("../app.js");
