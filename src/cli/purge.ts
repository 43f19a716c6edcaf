import { userInfo } from "node:os";
import type { Config } from "../config.js";
import { systemClock } from "../core/clock.js";
import type { PurgeCandidate } from "../core/records/ports.js";
import { planPurge, purgeRequests } from "../core/records/retention.js";
import { createRecordsStore } from "../db/repositories/records.js";
import { say, withDatabase } from "./shared.js";

const day = (at: Date) => at.toISOString().slice(0, 10);

const countsOf = (candidate: PurgeCandidate) =>
  Object.entries(candidate.counts)
    .map(([name, count]) => `${count} ${name}`)
    .join(", ");

/** Who ran the purge, for its tombstones: the command line, and the account it ran under. */
function operator(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

/**
 * `purge [--dry-run]`: deletes closed requests whose closing is older than RETENTION_YEARS,
 * never those on legal hold, keeping one audit event (a tombstone) for each.
 */
export async function purge(config: Config, dryRun: boolean): Promise<number> {
  const years = config.RETENTION_YEARS;
  if (years === undefined) {
    say("RETENTION_YEARS is not set: every record is kept, nothing to purge.");
    return 0;
  }
  return withDatabase(config, async (database) => {
    const deps = { records: createRecordsStore(database), clock: systemClock };
    const plan = await planPurge(deps, years);
    say(`Retention: ${years} year(s); closed (delivered, declined, withdrawn) before ${day(plan.cutoff)}.`);
    for (const candidate of plan.held)
      say(`${candidate.number}  ${candidate.status}  closed ${day(candidate.closedAt)}  ON HOLD, exempt: ${candidate.holdReason}`);
    if (dryRun) {
      for (const candidate of plan.purgeable)
        say(`${candidate.number}  ${candidate.status}  closed ${day(candidate.closedAt)}  would delete: ${countsOf(candidate)}`);
      say(`Dry run: ${plan.purgeable.length} request(s) would be purged; ${plan.held.length} on hold exempt. Nothing deleted.`);
      return 0;
    }
    const result = await purgeRequests(deps, plan, { actorId: "operator", purgedBy: `command line (${operator()})` }, (candidate, done) =>
      say(
        done
          ? `purged ${candidate.number} (${countsOf(candidate)})`
          : `kept ${candidate.number}: changed since it was listed (held or reopened)`,
      ),
    );
    say(`Purged ${result.purged} request(s), each leaving one audit event; ${plan.held.length} on hold exempt.`);
    return 0;
  });
}
