import type { Config } from "../config.js";
import { createPrismaRepositories } from "../db/repositories/index.js";
import { say, withDatabase } from "./shared.js";

const STATUSES = ["PENDING", "SENT", "FAILED", "CANCELLED"] as const;

/** `outbox --status` (also `remind --status`): owed messages by state, and the failed ones with their reason. */
export async function outboxStatus(config: Config): Promise<number> {
  return withDatabase(config, async (database) => {
    const outbox = createPrismaRepositories(database).outbox;
    const counts = await outbox.statusCounts();
    say(`Outbox: ${STATUSES.map((status) => `${counts[status] ?? 0} ${status.toLowerCase()}`).join(", ")}.`);
    const oldest = await outbox.oldestDue(new Date());
    if (oldest) say(`  the longest-waiting owed message has been due since ${oldest.toISOString()}`);
    for (const row of await outbox.listFailed(50)) {
      const what =
        row.kind === "reminder" ? `${row.subjectKey} due ${row.dueDate} (offset ${row.offsetDays})` : `${row.kind} for ${row.subjectKey}`;
      say(`  failed: ${what} → ${row.platform} ${row.conversationId}: ${row.lastError} after ${row.attempts} attempt(s)`);
    }
    return 0;
  });
}
