import type { Clock } from "../clock.js";
import type { RequestStatus } from "../domain.js";
import type { PurgeCandidate, RecordsStore } from "./ports.js";

/**
 * The statuses that close a request for retention: the one list `purge` reads. A status that
 * closes a request later (DUPLICATE, when requests can be merged) is added here.
 */
export const CLOSED_STATUSES: readonly RequestStatus[] = ["DELIVERED", "DECLINED", "WITHDRAWN"];

/** The closing time before which a closed request may be purged: `years` calendar years before now (UTC). */
export function retentionCutoff(now: Date, years: number): Date {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff;
}

export interface PurgePlan {
  cutoff: Date;
  /** Closed before the cutoff and not held: what `purge` deletes. */
  purgeable: PurgeCandidate[];
  /** Closed before the cutoff but on legal hold: exempt. */
  held: PurgeCandidate[];
}

export interface RetentionDeps {
  records: RecordsStore;
  clock: Clock;
}

/** What `purge` would delete under a retention period of `years`, and which held requests it spares. */
export async function planPurge(deps: RetentionDeps, years: number): Promise<PurgePlan> {
  const cutoff = retentionCutoff(deps.clock.now(), years);
  const candidates = await deps.records.closedBefore(CLOSED_STATUSES, cutoff);
  return {
    cutoff,
    purgeable: candidates.filter((candidate) => candidate.holdReason === undefined),
    held: candidates.filter((candidate) => candidate.holdReason !== undefined),
  };
}

/**
 * Purges what `planPurge` lists, one request per transaction (a failure leaves the others
 * done and the chain whole). Each is checked again inside its transaction, so a request put
 * on hold meanwhile is kept. `onEach` reports each request as it is done.
 */
export async function purgeRequests(
  deps: RetentionDeps,
  plan: PurgePlan,
  by: { actorId: string; purgedBy: string },
  onEach?: (candidate: PurgeCandidate, purged: boolean) => void,
): Promise<{ purged: number; kept: number }> {
  let purged = 0;
  for (const candidate of plan.purgeable) {
    const done = await deps.records.purge(
      candidate.id,
      { statuses: CLOSED_STATUSES, cutoff: plan.cutoff },
      { ...by, at: deps.clock.now() },
    );
    if (done) purged++;
    onEach?.(candidate, done);
  }
  return { purged, kept: plan.purgeable.length - purged + plan.held.length };
}
