/**
 * How long owed messages are retried, and how claims expire. Stated once: the README's
 * "Delivery guarantees" describes these numbers.
 */

/**
 * A claim lasts this long; a worker that dies mid-send leaves its rows to be taken again
 * after it. With the dispatcher's tick, a dead process's messages go out within 2 minutes.
 * A live worker checks its claim before each send (renewing it once less than 60 s are left: the
 * dispatcher's renewBelowMs), and claims no more rows than it could
 * send within one lease at SEND_TIMEOUT_MS each (3).
 */
export const CLAIM_LEASE_MS = 90_000;
/** How often each process looks for due messages (retries, other replicas' leftovers). */
export const DISPATCH_INTERVAL_MS = 5_000;
/** One send that has not answered by then counts as a transient failure. Shorter than a lease, so a send never outlives its claim. */
export const SEND_TIMEOUT_MS = 30_000;
/** A transient failure is retried for this long after the message was owed, then recorded as failed. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;
/** A redraw waiting for its card to be posted looks again after this. */
export const WAIT_RETRY_MS = 2_000;
/** Longest wait between two tries of one message: after an outage, delivery resumes within this. */
export const MAX_BACKOFF_MS = 60_000;

/** Exponential backoff with jitter: about 2 s, 4 s, 8 s … up to a minute. */
export function backoffMs(attempt: number): number {
  const base = Math.min(2 ** attempt * 1_000, MAX_BACKOFF_MS);
  return Math.round(base * (0.75 + Math.random() / 4));
}
