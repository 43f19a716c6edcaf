import type { AuditLine } from "./audit-file.js";

/** The audit trail as stored: read in chain order, and the chain walked. */
export interface AuditTrail {
  /** Events whose time is in [from, to] (either end open), in chain order, a batch at a time. */
  lines(range: { from?: Date; to?: Date }): AsyncIterable<AuditLine[]>;
  /**
   * Walks the database's chain from the first event to the head; names the first event
   * changed, removed, inserted or reordered. `onProgress(done, total)` after each batch.
   */
  walk(
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ ok: true; count: number; headHash: string } | { ok: false; problem: string }>;
}

/** A closed request old enough to purge, with what purging it deletes. */
export interface PurgeCandidate {
  id: string;
  number: string;
  status: string;
  createdAt: Date;
  /** When it entered its closed status. */
  closedAt: Date;
  /** Why it is on legal hold; absent when not held. */
  holdReason?: string;
  /** Rows deleted with it, by kind: events, outbox, subscriptions, mails, triage cards, case links. */
  counts: Record<string, number>;
}

/** Requests' retention: legal holds, and purging closed requests. */
export interface RecordsStore {
  /** Requests in `statuses` that entered it before `cutoff`, oldest closing first (held ones too). */
  closedBefore(statuses: readonly string[], cutoff: Date): Promise<PurgeCandidate[]>;
  /**
   * Deletes the request and everything that names it, and appends one tombstone to the audit
   * chain, in one transaction. False, deleting nothing, when it no longer qualifies (put on hold,
   * reopened) since it was listed.
   */
  purge(
    requestId: string,
    rule: { statuses: readonly string[]; cutoff: Date },
    tombstone: { actorId: string; purgedBy: string; at: Date },
  ): Promise<boolean>;
  /**
   * Puts a request on legal hold (`reason`) or releases it (null), with its audit event.
   * Returns the reason it had before (null: it was not held); undefined when there is no such request.
   */
  setHold(
    requestId: string,
    reason: string | null,
    audit: { actorId: string; status: string; note: string; at: Date },
  ): Promise<{ before: string | null } | undefined>;
}
