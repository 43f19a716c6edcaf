import type { Config } from "../config.js";
import { sealAuditChain } from "../db/audit-chain.js";
import { openDatabase } from "../db/client.js";
import { checkDatabaseConnection } from "../db/connection-check.js";
import { applyMigrations } from "../db/migrate.js";
import { checkReadiness } from "../db/readiness.js";
import { knownMigrationNames } from "../db/schema-engine.js";
import { say } from "./shared.js";

/** `migrate`: applies pending migrations to DATABASE_URL. */
export async function migrate(config: Config): Promise<number> {
  const database = await openDatabase(config.DATABASE_URL);
  try {
    await checkDatabaseConnection(database);
    const total = (await knownMigrationNames(database.target.provider)).length;
    // Nothing pending: no schema engine, which could not lock a file a running bot holds.
    const applied = (await checkReadiness(database)).ready ? [] : await applyMigrations(database.target);
    // Events written before the audit chain existed join it, before any new one.
    const sealed = await sealAuditChain(database);
    if (sealed > 0) say(`Chained ${sealed} earlier audit event(s) into the audit trail.`);
    if (applied.length === 0) say(`Database is up to date (${total} migration(s) applied before; nothing to do).`);
    else for (const name of applied) say(`applied ${name}`);
    if (applied.length > 0) say(`Applied ${applied.length} migration(s) to the ${database.target.provider} database.`);
    return 0;
  } finally {
    await database.close();
  }
}
