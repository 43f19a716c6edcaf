import type { Database } from "./client.js";
import { driverErrorKind } from "./connection.js";
import { sql } from "./kysely.js";
import { knownMigrationNames } from "./schema-engine.js";

export type Readiness = { ready: true } | { ready: false; reason: string };

/** Database reachable and every shipped migration applied. */
export async function checkReadiness(database: Database): Promise<Readiness> {
  let applied: Set<string>;
  try {
    // Prisma's own table, outside the schema's models (so outside Kysely's generated types).
    const { rows } = await sql<{ migration_name: string }>`
      SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`.execute(database.kysely);
    applied = new Set(rows.map((row) => row.migration_name));
  } catch (error) {
    // The driver's error kind, never message text.
    if (driverErrorKind(error) === "TableDoesNotExist") {
      return { ready: false, reason: "database not migrated: run `npm run cli -- migrate`" };
    }
    return { ready: false, reason: "database unreachable" };
  }
  const pending = (await knownMigrationNames(database.target.provider)).filter((name) => !applied.has(name));
  if (pending.length > 0) return { ready: false, reason: `pending migrations: ${pending.join(", ")}` };
  return { ready: true };
}
