import type { RequestStatus } from "./domain.js";
import type { RequestQuota } from "./limits/rate-limits.js";
import type {
  Actor,
  AuditEvent,
  CaseRecord,
  IsoDate,
  MaRequest,
  Milestone,
  PersonRef,
  Platform,
  RequestForm,
  RequestIntake,
  Role,
} from "./model.js";
import type { OweMessages } from "./outbox.js";

/** What a new request is stored with. */
export interface NewRequest {
  requester: PersonRef;
  form: RequestForm;
  eligibilityCheck: boolean;
  sourcePlatform: Platform | "cli";
  /** The inbound submission's key (Slack view id + hash, Teams activity id). */
  idempotencyKey?: string;
  /** A request that arrived as free text: what it still lacks, stored with it. */
  intake?: Omit<RequestIntake, "heldMail">;
  at: Date;
  /** Past this many requests by the requester since `since`, nothing is stored and `refusal` is thrown. */
  quota?: RequestQuota;
  /**
   * The caller's own rows that stand or fall with the new request (the mail it came by),
   * written in its transaction through `database.kysely`; not called when the key was seen.
   */
  alongside?: (request: MaRequest) => Promise<void>;
  /**
   * The requester is not stored yet (PeopleDirectory.resolveRequester chose `requester.id`):
   * they are stored with this identity first, in the request's transaction. Should the
   * identity have been stored meanwhile (a first contact racing this one), the request is
   * filed under that person: the returned request's requester is who it was filed under.
   */
  newRequester?: IdentityInfo;
}

/** A change of a request, applied only if the request is still at `expectedVersion`. */
export interface RequestChange {
  requestId: string;
  expectedVersion: number;
  status: RequestStatus;
  set: Partial<
    Pick<
      MaRequest,
      | "lead"
      | "scheduledStart"
      | "scheduledEnd"
      | "declineReason"
      | "question"
      | "eligibilityCheck"
      | "stageCreditDays"
      | "duplicateOf"
      | "calendarSequence"
    >
  > & {
    form?: RequestForm;
  };
  audit: { actorId: string; action: string; fromStatus: RequestStatus; note: string };
  at: Date;
  /** The request as read at `expectedVersion`: the changed request is built from it, not read back. */
  before?: MaRequest;
  /** The fields a free-text request still lacks after this change. */
  missingFields?: RequestIntake["missingFields"];
  /**
   * The inbound message that caused the change (a mail's Message-ID): claimed in the
   * change's transaction, so the same message never changes the request twice.
   */
  idempotencyKey?: string;
  /**
   * A second request changed in the same transaction (the request a duplicate is merged
   * into): applied only at its `expectedVersion` (else nothing is stored), its version
   * bumped, its own audit event written, and `followerId` made a follower of it.
   */
  alongside?: {
    requestId: string;
    expectedVersion: number;
    audit: { actorId: string; action: string; status: RequestStatus; note: string };
    followerId?: string;
  };
}

export interface RequestRepository {
  /**
   * Stores a request with the year's next number and its first audit event, in one
   * transaction. With an idempotency key seen before, stores nothing and returns the
   * request first stored under it (`created: false`). With a quota, counts the requester's
   * requests in the same transaction (after taking the year's counter lock, so concurrent
   * submits are counted one after another) and throws its refusal past it.
   */
  create(input: NewRequest, owe?: OweMessages): Promise<{ request: MaRequest; created: boolean }>;
  /**
   * Applies the change and stores the messages it owes, in one transaction; returns
   * undefined (and stores nothing) when the version moved on (stale) or the change's
   * idempotency key was used before.
   */
  update(change: RequestChange, owe?: OweMessages): Promise<MaRequest | undefined>;
  findById(id: string): Promise<MaRequest | undefined>;
  /** Several requests in one read (a batch of owed cards); unknown ids are left out. */
  findByIds(ids: readonly string[]): Promise<MaRequest[]>;
  findByNumber(number: string): Promise<MaRequest | undefined>;
  /** The person's requests: those they filed and those they follow. */
  listByRequester(personId: string): Promise<MaRequest[]>;
  listByStatus(statuses: readonly RequestStatus[]): Promise<MaRequest[]>;
  listLinkedToCase(caseId: string): Promise<MaRequest[]>;
  /** Requests with a scheduled start in [from, to]. */
  listScheduledBetween(from: IsoDate, to: IsoDate): Promise<MaRequest[]>;
  history(requestId: string): Promise<AuditEvent[]>;
  /** Several requests' events of these actions (internal notes), oldest first, by request id (none: absent). */
  eventsOf(requestIds: readonly string[], actions: ReadonlySet<string>): Promise<Map<string, AuditEvent[]>>;
  /** Something that happened to a request without changing it (a mail that bounced): history only. */
  recordEvent(event: { requestId: string; actorId: string; action: string; status: RequestStatus; note: string; at: Date }): Promise<void>;
  /** Open assignments (ACCEPTED, SCHEDULED) per lead person id. */
  openLoadByLead(): Promise<Map<string, number>>;
  /** Requests with any audit event in [from, to], each with its whole status trail. */
  activityBetween(from: Date, to: Date): Promise<RequestActivity[]>;
}

/** A request and its audit trail (who is left out): what reports are computed from. */
export interface RequestActivity {
  request: MaRequest;
  events: Array<Pick<AuditEvent, "action" | "fromStatus" | "toStatus" | "at">>;
}

export interface CaseWithMilestones extends CaseRecord {
  milestones: Milestone[];
}

export interface CaseDirectory {
  find(caseId: string): Promise<CaseWithMilestones | undefined>;
  /** Which of these case ids are on file (imported), in one read. */
  onFile(caseIds: readonly string[]): Promise<Set<string>>;
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
  /** Many milestones with their cases, in one read (the outbox prepares reminders in batches). */
  findMilestones(ids: string[]): Promise<Array<{ milestone: Milestone; caseRecord: CaseRecord }>>;
  /** Marks a milestone done (with when and by whom), or not done again (all null). */
  updateMilestone(
    id: string,
    set: { completedDate: IsoDate | null; completedAt: Date | null; completedById: string | null },
  ): Promise<void>;
}

export interface IdentityInfo {
  key: string;
  displayName?: string;
  workspaceId?: string;
  email?: string;
  /** IANA zone the platform sent with this activity (Teams localTimezone), checked valid. */
  timeZone?: string;
}

export interface PeopleDirectory {
  /**
   * Finds or creates the person behind an identity, and returns them with their roles.
   * `displayName` names a new person, or one still known only by their user id.
   */
  resolve(identity: IdentityInfo): Promise<Actor>;
  /**
   * As `resolve`, except that a person not stored yet is not stored here: they come back
   * with `unsaved` (their id chosen, no roles, nothing written), for the transaction of the
   * request they file (NewRequest.newRequester) to store: a first submission commits once.
   */
  resolveRequester(identity: IdentityInfo): Promise<{ actor: Actor; unsaved?: IdentityInfo }>;
  findPerson(personId: string): Promise<{ person: PersonRef; roles: Role[] } | undefined>;
  /** Many people with their roles, in one read. */
  findPeople(personIds: string[]): Promise<Array<{ person: PersonRef; roles: Role[] }>>;
  grant(identityKey: string, role: Role, grantedBy: string): Promise<boolean>;
  revoke(identityKey: string, role: Role): Promise<boolean>;
  /**
   * Removes the grants made by `grantedBy` (e.g. ADMIN_USERS at start) from everyone who
   * has none of the `keep` identities; returns the identities that lost a grant.
   */
  revokeGrantedBy(grantedBy: string, keep: string[]): Promise<string[]>;
  listGrants(): Promise<Array<{ identityKeys: string[]; displayName: string; role: Role }>>;
  listFaculty(): Promise<PersonRef[]>;
  /** How to reach a person outside chat and which zone their dates are shown in (undefined when unknown). */
  contactOf(personId: string): Promise<{ email?: string; timeZone?: string }>;
  /** When the platform profile behind a chat identity was last read (read weekly, not per message). */
  contactCheckedAt(identityKey: string): Promise<Date | undefined>;
  /**
   * Stores a chat user's zone and platform-verified address (never one they typed); an existing
   * `email:` identity of that address (someone who so far wrote by mail) and its requests join
   * them, so they see one list. Returns whether an identity was linked.
   */
  recordContact(identityKey: string, contact: PlatformContact): Promise<{ linked: boolean }>;
}

/** A chat user's profile as their platform gives it (the address verified by it); `checkedAt`: a whole profile read. */
export type PlatformContact = { verifiedEmail?: string; timeZone?: string; checkedAt?: Date };

export * from "./ports-stores.js";
