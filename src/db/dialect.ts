import type { Database } from "./client.js";

/**
 * SQL for dialect features Prisma does not express (readiness and SQLite tuning keep
 * their own one-line queries beside their callers). PostgreSQL claims a batch of outbox rows in one statement with
 * FOR UPDATE SKIP LOCKED, so replicas take disjoint rows without waiting on each other.
 */
export async function claimOutboxBatchPostgres(
  database: Database,
  input: { now: Date; worker: string; claimedUntil: Date; limit: number },
): Promise<string[]> {
  const rows = await database.prisma.$queryRawUnsafe<Array<{ id: string }>>(
    `UPDATE "Outbox" SET "claimedBy" = $1, "claimedUntil" = $2::timestamp
     WHERE "id" IN (
       SELECT "id" FROM "Outbox"
       WHERE "status" = 'PENDING' AND "nextAttemptAt" <= $3::timestamp AND ("claimedUntil" IS NULL OR "claimedUntil" < $3::timestamp)
       ORDER BY "nextAttemptAt", "id"
       LIMIT $4
       FOR UPDATE SKIP LOCKED
     )
     RETURNING "id"`,
    input.worker,
    input.claimedUntil.toISOString(),
    input.now.toISOString(),
    input.limit,
  );
  return rows.map((row) => row.id);
}
