import { createHash } from "node:crypto";

/**
 * The audit chain: every audit event (request history, workbench changes, purge tombstones)
 * has a place `seq` in one sequence, and `hash` = SHA-256 over its fields and the hash of the
 * event before (`prevHash`). Changing, removing, inserting or reordering an event breaks a
 * link that `verify-audit --database` walks.
 */

/** The `prevHash` of the first event. */
export const GENESIS_HASH = "0".repeat(64);

/** The fields an event's hash covers: every column but the hash itself. */
export interface ChainedFields {
  /** Which table: request (AuditEvent) or other (WorkbenchEvent: workbench changes, tombstones). */
  kind: "request" | "other";
  seq: number;
  id: string;
  actorId: string;
  action: string;
  /** The request id (request events) or the subject (other events). */
  subject: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string;
  at: Date;
  prevHash: string;
}

/** JSON with object keys sorted at every depth: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

export function chainHash(fields: ChainedFields): string {
  return sha256(canonicalJson(fields));
}

/** A link of the chain: an event's place, what it follows, and its hash. */
export interface ChainLink {
  seq: number;
  prevHash: string;
  hash: string;
}

/** A stored event as the walk sees it: its fields (with the hash they should give) and a label for messages. */
export interface StoredEvent {
  fields: ChainedFields;
  hash: string;
  label: string;
}

export type ChainProblem = { seq: number; problem: string };

/**
 * Checks one step of the walk: the event at `seq` (or the link a purge tombstone kept for
 * it) follows `expectedPrev`. Returns the hash the next event must follow, or the problem.
 */
export function checkStep(
  seq: number,
  expectedPrev: string,
  event: StoredEvent | undefined,
  kept: ChainLink | undefined,
): { next: string } | ChainProblem {
  if (event) {
    if (event.fields.seq !== seq) return { seq, problem: `${event.label} is out of place` };
    if (chainHash(event.fields) !== event.hash) return { seq, problem: `event ${seq} (${event.label}) was changed` };
    if (event.fields.prevHash !== expectedPrev)
      return { seq, problem: `event ${seq} (${event.label}) does not follow event ${seq - 1}: an event before it was changed or removed` };
    return { next: event.hash };
  }
  if (kept) {
    if (kept.prevHash !== expectedPrev)
      return {
        seq,
        problem: `event ${seq} (removed by purge) does not follow event ${seq - 1}: an event before it was changed or removed`,
      };
    return { next: kept.hash };
  }
  return { seq, problem: `event ${seq} was removed (no purge tombstone accounts for it)` };
}
