import type { Outbox, OutboxRow, OutboxTaker } from "../core/ports.js";

/** The most rows one claim takes, however long the lease. */
const MAX_BATCH = 20;

/**
 * Rows per claim: as many as can be sent within one lease if every send takes the whole
 * send timeout, so a batch never outlives its lease even before renewals.
 */
export function batchSize(leaseMs: number, sendTimeoutMs: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.floor(leaseMs / sendTimeoutMs)));
}

export interface ClaimsDeps {
  outbox: Outbox;
  worker: string;
  leaseMs: number;
  sendTimeoutMs: number;
  now: () => Date;
  /** The dispatcher is stopping: nothing more is taken as it is stored. */
  stopping: () => boolean;
  /** Rows were handed over: drain them (claiming only if a claim is wanted). */
  handed: () => void;
}

/**
 * The rows one worker holds: those stored already claimed for it (the taker, which the outbox
 * hands them to as they are written) and those it claims; the check, before each send, that
 * a row is still its own; and giving rows back when it stops.
 */
export interface Claims {
  /** Takes the rows this process's changes owe as they are stored (see OutboxTaker). */
  readonly taker: OutboxTaker;
  /** A wake, a tick or drain(): the next batch claims even if no unclaimed write was heard of. */
  want(): void;
  /** The next rows to send: handed ones first, then a claim if one may find something. */
  next(): Promise<OutboxRow[]>;
  /** Whether the row is still this worker's, renewing the claim when its lease runs short. */
  mayStillSend(row: OutboxRow): Promise<boolean>;
  /** The row was sent, settled or given back: the lease it was handed with no longer answers. */
  done(row: OutboxRow): void;
  /** Gives the row back at once, for the next worker to send. */
  release(row: OutboxRow): Promise<void>;
  /** Gives back every handed row still waiting (stopping). */
  releaseWaiting(): Promise<void>;
}

export function createClaims(deps: ClaimsDeps): Claims {
  const { outbox, worker, leaseMs, sendTimeoutMs, now } = deps;
  /** Rows per claim, and the most handed rows waiting at once. */
  const batch = batchSize(leaseMs, sendTimeoutMs);
  /**
   * Below this much lease left, a claim is renewed before a send: a send started on a read
   * still ends with at least half the lease's margin over the send timeout left (30 s by
   * default), which is what absorbs the replicas' clock differences.
   */
  const renewBelowMs = sendTimeoutMs + (leaseMs - sendTimeoutMs) / 2;
  /** Rows stored already claimed for this worker (the taker below), waiting to be sent. */
  const handed: OutboxRow[] = [];
  /** The lease each handed row was written with, until it is checked before its send. */
  const handedUntil = new Map<string, number>();
  /**
   * Whether a claim may find rows this drain has not seen: set by a wake, a tick, drain(), an
   * unclaimed write, or a batch that was full; spent by the claim. A short batch took every due
   * row, so a drain ends without another (empty) claim unless something was owed since.
   */
  let claimWanted = true;

  async function release(row: OutboxRow): Promise<void> {
    handedUntil.delete(row.id);
    await outbox.retryLater(row.id, worker, now(), "sender stopped");
  }

  return {
    taker: {
      worker,
      // No more waiting than one claim would take: the rest are claimed as before.
      lease: (count) => (!deps.stopping() && handed.length + count <= batch ? new Date(now().getTime() + leaseMs) : undefined),
      take: (rows, until) => {
        for (const row of rows) handedUntil.set(row.id, until.getTime());
        handed.push(...rows);
        // Stopping: the drain under way (or this one) gives them back.
        deps.handed();
      },
      owed: () => {
        claimWanted = true;
      },
    },
    want: () => {
      claimWanted = true;
    },
    next: async () => {
      if (handed.length > 0) return handed.splice(0, batch);
      if (!claimWanted) return [];
      claimWanted = false;
      const rows = await outbox.claimDue(now(), worker, leaseMs, batch);
      if (rows.length === batch) claimWanted = true;
      return rows;
    },
    /**
     * The last moment to find out the row is no longer ours: its lease ran out while earlier
     * rows were sent, and another replica may have taken it. A claim with more than
     * `renewBelowMs` left outlasts this send (bounded by the send timeout), so a read answers;
     * a shorter one is renewed first (a write), giving the send a whole lease.
     */
    mayStillSend: async (row) => {
      // A row handed over as it was stored is this worker's until the lease it was written with:
      // no other worker takes it before, and nothing but this worker changes a new request's
      // messages, so that lease answers as the read would.
      const written = handedUntil.get(row.id);
      if (written !== undefined && written - now().getTime() > renewBelowMs) return true;
      const until = await outbox.claimedUntil(row.id, worker, now());
      if (!until) return false;
      if (until.getTime() - now().getTime() > renewBelowMs) return true;
      return (await outbox.renewClaims(worker, now(), leaseMs)).includes(row.id);
    },
    done: (row) => {
      handedUntil.delete(row.id);
    },
    release,
    releaseWaiting: async () => {
      for (const row of handed.splice(0)) await release(row);
    },
  };
}
