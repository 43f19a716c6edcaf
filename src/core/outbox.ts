import type { IsoDate, MaRequest, Platform } from "./model.js";

/** The kinds of message the bot owes. */
export type OutboxKind =
  | "triage-card"
  | "card-redraw"
  | "notice"
  /** The requester's "received" card: a notice whose place is recorded, to redraw it later. */
  | "requester-card"
  /** A redraw of that card at a newer version: its buttons follow what the requester may still do. */
  | "requester-redraw"
  | "reminder"
  | "nudge"
  | "digest"
  /** The feedback survey, owed at delivery and sent SURVEY_DELAY_DAYS working days later. */
  | "survey"
  /** A calendar invitation (iMIP) for a scheduled, rescheduled or cancelled session. */
  | "invitation";

/**
 * A message owed because of a change, written in the change's transaction. The core
 * treats `body` as opaque: the chat layer decides what it says.
 */
export interface OwedMessage {
  kind: Exclude<OutboxKind, "reminder">;
  platform: Platform;
  /** A channel id, or `@<identity key>` for a direct message. */
  conversationId: string;
  /** `request:<id>`. */
  subjectKey: string;
  /** The request version the message is owed for. */
  version: number;
  body: string;
  /** One message per key, ever: a retried change never owes it twice. */
  dedupeKey: string;
  /** Not sent before this time (a survey days after delivery); at once when absent. */
  notBefore?: Date;
  /** The day it is owed for ("YYYY-MM-DD"), where one applies. */
  dueDate?: IsoDate;
}

/** Builds the messages a stored request owes; runs inside the storing transaction. */
export type OweMessages = (request: MaRequest) => OwedMessage[];

export interface OutboxRow {
  id: string;
  kind: OutboxKind;
  subjectKey: string;
  dueDate: IsoDate;
  offsetDays: number;
  version: number;
  platform: Platform;
  conversationId: string;
  body: string;
  status: "PENDING" | "SENT" | "FAILED" | "CANCELLED";
  attempts: number;
  nextAttemptAt: Date;
  lastError: string;
  sentAt?: Date;
  /** How often a sent reminder was snoozed. */
  snoozes: number;
  createdAt: Date;
}

/** A planned reminder: one row per (subject, due date, offset, target), never two. */
export type PlannedReminder = Pick<OutboxRow, "subjectKey" | "dueDate" | "offsetDays" | "platform" | "conversationId">;

export interface ConversationFailures {
  platform: Platform;
  conversationId: string;
  count: number;
  lastError: string;
}

/**
 * The sender running in this process, taking the rows a change owes as the change stores them:
 * they are written already claimed by it (its worker name and a lease from the write, as a
 * claim sets them) and handed over once committed, so it sends them without a claim or a read
 * back. A crash before they are sent leaves them to whoever claims them once the lease ends,
 * as with any claim.
 */
export interface OutboxTaker {
  readonly worker: string;
  /**
   * When the claim on `count` more rows would end, if it takes them now (on its own clock); undefined
   * when it does not (stopping, or as many waiting as one claim takes): they are stored unclaimed.
   */
  lease(count: number): Date | undefined;
  /**
   * Rows stored claimed for it until `until`, once their transaction has committed; `subject`:
   * the new request they are about, as that transaction wrote it (what a read would find).
   */
  take(rows: OutboxRow[], until: Date, subject?: MaRequest): void;
  /** Rows were stored unclaimed: a drain under way claims once more before it ends. */
  owed(): void;
}

/** Everything the bot owes, claimed by exactly one sender at a time. */
export interface Outbox {
  /** The sender that takes rows as they are owed (see OutboxTaker); undefined: none, every row is claimed. */
  handTo(taker: OutboxTaker | undefined): void;
  /**
   * Stores a reminder unless its key exists; true when stored. A stored row cancels older
   * pending reminders of the same item and target (a later offset supersedes them).
   */
  insertReminder(row: PlannedReminder, at: Date): Promise<boolean>;
  /** Stores messages owed outside a request change (a triage channel set later, a card repair). */
  enqueue(messages: OwedMessage[], at: Date): Promise<number>;
  /**
   * Claims up to `limit` pending rows that are due, each with one atomic conditional
   * update: a row is claimed by exactly one worker until its lease ends.
   */
  claimDue(now: Date, worker: string, leaseMs: number, limit: number): Promise<OutboxRow[]>;
  /**
   * Renews this worker's claims that have not expired, on rows still pending, to
   * `now + leaseMs`, and returns their ids: what this worker may still send. A claim that
   * expired or was taken over is not renewed (another worker may be sending that row).
   */
  renewClaims(worker: string, now: Date, leaseMs: number): Promise<string[]>;
  /**
   * When this worker's claim on a pending row ends, if it has not ended by `now`; undefined
   * when the row is no longer this worker's to send (expired, taken over, cancelled). A read:
   * nothing is written, so checking before every send costs no commit.
   */
  claimedUntil(id: string, worker: string, now: Date): Promise<Date | undefined>;
  /**
   * Marks a row sent, and in the same commit runs `record` (where the message landed); false
   * when this worker no longer held the row: the mark changed nothing and nothing was recorded.
   * `record` runs inside the outbox's transaction: only repository statements written for it
   * (the card stores' Kysely statements) may run there.
   */
  markSent(id: string, worker: string, at: Date, record?: () => Promise<void>): Promise<boolean>;
  /** Back to pending, to try again at `next`. */
  retryLater(id: string, worker: string, next: Date, error: string): Promise<void>;
  markFailed(id: string, worker: string, error: string): Promise<void>;
  cancel(id: string, reason: string): Promise<void>;
  cancelPending(subjectKey: string): Promise<number>;
  /** Undo of `cancelPending`: the reminders it cancelled are owed again from `at`. */
  reopenCancelled(subjectKey: string, at: Date): Promise<number>;
  /** A row of the same kind, subject and platform with a higher version that is still owed or sent. */
  hasNewer(row: OutboxRow): Promise<boolean>;
  /** Whether a row of this kind for the subject and platform is still waiting or being sent. */
  hasOpen(subjectKey: string, kind: OutboxKind, platform: Platform): Promise<boolean>;
  find(id: string): Promise<OutboxRow | undefined>;
  /** A sent reminder back to pending at `until`, counted. */
  snooze(id: string, until: Date): Promise<void>;
  statusCounts(): Promise<Record<string, number>>;
  listFailed(limit: number): Promise<OutboxRow[]>;
  /** Since when the longest-waiting row that is due by `now` has been due, if any. */
  oldestDue(now: Date): Promise<Date | undefined>;
  /** Permanent failures of rows written since `since`, per conversation, with the latest reason. */
  failuresByConversation(since: Date): Promise<ConversationFailures[]>;
}
