import type { Database } from "./client.js";
import { knownMigrationNames } from "./schema-engine.js";
import { driverErrorKind } from "./sql.js";

export type Readiness = { ready: true } | { ready: false; reason: string };

/** Database reachable and every shipped migration applied. */
export async function checkReadiness(database: Database): Promise<Readiness> {
  let applied: Set<string>;
  try {
    const rows = await database.prisma.$queryRawUnsafe<Array<{ migration_name: string }>>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
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
