import type { RequestStatus } from "./domain.js";
import type { Actor, AuditEvent, CaseRecord, IsoDate, MaRequest, Milestone, PersonRef, Platform, RequestForm, Role } from "./model.js";

/** What a new request is stored with. */
export interface NewRequest {
  requester: PersonRef;
  form: RequestForm;
  eligibilityCheck: boolean;
  sourcePlatform: Platform | "cli";
  /** The inbound submission's key (Slack view id + hash, Teams activity id). */
  idempotencyKey?: string;
  at: Date;
}

/** A change of a request, applied only if the request is still at `expectedVersion`. */
export interface RequestChange {
  requestId: string;
  expectedVersion: number;
  status: RequestStatus;
  set: Partial<Pick<MaRequest, "lead" | "scheduledStart" | "scheduledEnd" | "declineReason" | "question" | "eligibilityCheck">> & {
    form?: RequestForm;
  };
  audit: { actorId: string; action: string; fromStatus: RequestStatus; note: string };
  at: Date;
}

export interface RequestRepository {
  /**
   * Stores a request with the year's next number and its first audit event, in one
   * transaction. With an idempotency key seen before, stores nothing and returns the
   * request first stored under it (`created: false`).
   */
  create(input: NewRequest, owe?: OweMessages): Promise<{ request: MaRequest; created: boolean }>;
  /**
   * Applies the change and stores the messages it owes, in one transaction; returns
   * undefined (and stores nothing) when the version moved on (stale).
   */
  update(change: RequestChange, owe?: OweMessages): Promise<MaRequest | undefined>;
  findById(id: string): Promise<MaRequest | undefined>;
  findByNumber(number: string): Promise<MaRequest | undefined>;
  listByRequester(personId: string): Promise<MaRequest[]>;
  listByStatus(statuses: readonly RequestStatus[]): Promise<MaRequest[]>;
  listLinkedToCase(caseId: string): Promise<MaRequest[]>;
  /** Requests with a scheduled start in [from, to]. */
  listScheduledBetween(from: IsoDate, to: IsoDate): Promise<MaRequest[]>;
  history(requestId: string): Promise<AuditEvent[]>;
  /** Open assignments (ACCEPTED, SCHEDULED) per lead person id. */
  openLoadByLead(): Promise<Map<string, number>>;
}

export interface CaseWithMilestones extends CaseRecord {
  milestones: Milestone[];
}

export interface CaseDirectory {
  find(caseId: string): Promise<CaseWithMilestones | undefined>;
  /**
   * Open milestones due in [from, to] of cases that are not closed or cancelled,
   * restricted to ids starting with one of `prefixes` (all when undefined).
   */
  milestonesDueBetween(
    from: IsoDate,
    to: IsoDate,
    prefixes: string[] | undefined,
  ): Promise<Array<{ milestone: Milestone; caseRecord: CaseRecord }>>;
  findMilestone(id: string): Promise<{ milestone: Milestone; caseRecord: CaseRecord } | undefined>;
  updateMilestone(id: string, set: { completedDate: IsoDate }): Promise<void>;
}

export interface IdentityInfo {
  key: string;
  displayName?: string;
  workspaceId?: string;
  email?: string;
}

export interface PeopleDirectory {
  /**
   * Finds or creates the person behind an identity, and returns them with their roles.
   * `displayName` names a new person, or one still known only by their user id.
   */
  resolve(identity: IdentityInfo): Promise<Actor>;
  findPerson(personId: string): Promise<{ person: PersonRef; roles: Role[] } | undefined>;
  grant(identityKey: string, role: Role, grantedBy: string): Promise<boolean>;
  revoke(identityKey: string, role: Role): Promise<boolean>;
  listGrants(): Promise<Array<{ identityKeys: string[]; displayName: string; role: Role }>>;
  listFaculty(): Promise<PersonRef[]>;
}

export type SubscriptionTarget = { type: "case"; id: string } | { type: "request"; id: string };

export interface Subscription {
  id: string;
  platform: Platform;
  conversationId: string;
  target: SubscriptionTarget;
  createdById: string;
}

/** Channels that receive a case's or request's reminders. */
export interface SubscriptionStore {
  /** Returns false when the channel was already subscribed. */
  add(input: Omit<Subscription, "id">): Promise<boolean>;
  /** Returns false when there was nothing to remove. */
  remove(input: Omit<Subscription, "id" | "createdById">): Promise<boolean>;
  /** Every subscription to any of these targets of one type: what a reminder pass fans out to. */
  listForTargets(type: SubscriptionTarget["type"], ids: string[]): Promise<Subscription[]>;
  /** Whether this conversation still wants this target's reminders. */
  has(input: Omit<Subscription, "id" | "createdById">): Promise<boolean>;
  listForConversation(platform: Platform, conversationId: string): Promise<Subscription[]>;
}

/** Small named settings, such as the triage channel of each platform. */
export interface SettingsStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

/** Where a request's triage card was posted on a platform, so it can be updated in place. */
export interface TriageCardRef {
  platform: Platform;
  conversationId: string;
  messageId: string;
  /** The request version the card shows. */
  drawnVersion: number;
}

export interface TriageCardStore {
  /** Records a newly posted card: the request's card on this platform is now this one. */
  recordPosted(requestId: string, ref: TriageCardRef): Promise<void>;
  /**
   * Records that a card was redrawn at `drawnVersion`; a lower version never replaces a
   * higher one. Returns the version the card is known to show afterwards.
   */
  recordRedrawn(requestId: string, ref: TriageCardRef): Promise<number>;
  find(requestId: string, platform: Platform): Promise<TriageCardRef | undefined>;
  /** Requests (by id) that have a card in this conversation: the rest are owed one. */
  requestsWithCards(platform: Platform, conversationId: string, requestIds: string[]): Promise<Set<string>>;
}

/** A place the bot can write to without being asked (Teams proactive messages). */
export interface StoredConversation {
  platform: Platform;
  conversationId: string;
  /** personal, channel or groupChat. */
  kind: string;
  /** The user of a personal conversation. */
  identityKey?: string;
  /** The platform's own reference (Teams ConversationReference), as JSON. */
  reference: string;
  dead: boolean;
}

export interface ConversationStore {
  save(conversation: Omit<StoredConversation, "dead">): Promise<void>;
  find(platform: Platform, conversationId: string): Promise<StoredConversation | undefined>;
  /** The live personal (1:1) conversation with a user. */
  findPersonal(identityKey: string): Promise<StoredConversation | undefined>;
  /** The platform said the bot was removed: never write there again until it is re-added. */
  markDead(platform: Platform, conversationId: string): Promise<void>;
}

/** Inbound deliveries already handled, so a platform's resend is answered once. */
export interface DeliveryLog {
  /** True the first time a key is seen, false for every repeat. */
  firstTime(key: string, at: Date): Promise<boolean>;
}

/** The kinds of message the bot owes. */
export type OutboxKind = "triage-card" | "card-redraw" | "notice" | "reminder";

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
  createdAt: Date;
}

/** A planned reminder: one row per (subject, due date, offset, target), never two. */
export type PlannedReminder = Pick<OutboxRow, "subjectKey" | "dueDate" | "offsetDays" | "platform" | "conversationId">;

/** Everything the bot owes, claimed by exactly one sender at a time. */
export interface Outbox {
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
  markSent(id: string, worker: string, at: Date): Promise<void>;
  /** Back to pending, to try again at `next`. */
  retryLater(id: string, worker: string, next: Date, error: string): Promise<void>;
  markFailed(id: string, worker: string, error: string): Promise<void>;
  cancel(id: string, reason: string): Promise<void>;
  cancelPending(subjectKey: string): Promise<number>;
  /** A row of the same kind, subject and platform with a higher version that is still owed or sent. */
  hasNewer(row: OutboxRow): Promise<boolean>;
  /** Whether a row of this kind for the subject and platform is still waiting or being sent. */
  hasOpen(subjectKey: string, kind: OutboxKind, platform: Platform): Promise<boolean>;
  find(id: string): Promise<OutboxRow | undefined>;
  snooze(id: string, until: Date): Promise<void>;
  statusCounts(): Promise<Record<string, number>>;
  listFailed(limit: number): Promise<OutboxRow[]>;
  /** When the oldest pending row was written, if any. */
  oldestPending(): Promise<Date | undefined>;
}
