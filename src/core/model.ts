import type {
  CaseStatus,
  CaseType,
  DeclineReason,
  DeliveryMode,
  DodComponent,
  EffortType,
  LifecyclePhase,
  MilestoneType,
  RequestStatus,
  SupportType,
} from "./domain.js";

/** A calendar day, `YYYY-MM-DD`. Days are not instants: they never shift with a time zone. */
export type IsoDate = string;

/** Where people reach the bot: two chat platforms, and e-mail (the mailbox is a third door). */
export type Platform = "slack" | "teams" | "email";

export interface PersonRef {
  id: string;
  displayName: string;
  /** Platform identities: `slack:U0123ABCD`, `teams:<AAD object id>`. */
  identityKeys: string[];
  /** IANA zone their chat platform gives for them: instants shown to them are in it. */
  timeZone?: string;
}

/** A person's zone as a field to spread: absent, not undefined, when their platform gave none. */
export const zoneOf = (person: Pick<PersonRef, "timeZone">): Pick<PersonRef, "timeZone"> =>
  person.timeZone ? { timeZone: person.timeZone } : {};

export type Role = { role: "faculty" } | { role: "admin" } | { role: "case-viewer"; scope: string };

/** Who is asking: the person behind the chat identity, with their roles. */
export interface Actor extends PersonRef {
  /** The identity this request came from. */
  identityKey: string;
  roles: Role[];
}

/** The fields of the request form, validated. */
export interface RequestForm {
  organization: string;
  component: DodComponent;
  program: string;
  effortTypes: EffortType[];
  supportType: SupportType;
  lifecyclePhase: LifecyclePhase;
  relatedCases: string[];
  problemStatement: string;
  desiredOutcome: string;
  audienceSize: number;
  preferredStart: IsoDate;
  preferredEnd: IsoDate;
  deliveryMode: DeliveryMode;
  location: string;
  travelFunded: boolean;
  pocName: string;
  pocEmail: string;
}

export interface MaRequest {
  id: string;
  /** `MA-2026-0007`. */
  number: string;
  status: RequestStatus;
  /** Bumped on every change; a card drawn at an older version is stale. */
  version: number;
  requester: PersonRef;
  form: RequestForm;
  /** Set for component OTHER: Mission Assistance is for DoD components. */
  eligibilityCheck: boolean;
  lead?: PersonRef;
  scheduledStart?: IsoDate;
  scheduledEnd?: IsoDate;
  declineReason?: DeclineReason;
  /** The open question while NEEDS_INFO. */
  question?: string;
  /** The calendar invitation's SEQUENCE plus one, raised by each schedule, reschedule or cancel; 0 or absent: never invited. */
  calendarSequence?: number;
  /** When it entered its current status: service levels count from here. */
  statusSince: Date;
  /**
   * Working days its service-level stage had already counted before waiting on the
   * requester paused the clock (0 when it never paused): the stage counts on from there.
   */
  stageCreditDays?: number;
  /** A duplicate merged into another request: that request. */
  duplicateOf?: { id: string; number: string };
  /** People who follow it without having filed it (requesters of duplicates merged into it). */
  followers?: PersonRef[];
  createdAt: Date;
  updatedAt: Date;
  /** Set for a request that arrived as free text rather than through the form. */
  intake?: RequestIntake;
}

/**
 * A request that arrived as free text (a mail) rather than through the form: the title it
 * came with, the form fields it still lacks, the files that came with it (listed, never
 * stored), and how many messages from people not on the request are held for faculty.
 */
export interface RequestIntake {
  title: string;
  missingFields: Array<keyof RequestForm>;
  attachments: Array<{ name: string; size: number }>;
  heldMail: number;
}

export interface AuditEvent {
  id: string;
  requestId: string;
  actor: PersonRef;
  action: string;
  fromStatus?: RequestStatus;
  toStatus: RequestStatus;
  note: string;
  at: Date;
}

export interface CaseRecord {
  id: string;
  title: string;
  partner: string;
  programOffice: string;
  status: CaseStatus;
  type: CaseType;
  category: string;
  masked: boolean;
}

export interface Milestone {
  id: string;
  caseId: string;
  type: MilestoneType;
  dueDate?: IsoDate;
  completedDate?: IsoDate;
  /** Marked done from a reminder: when and by whom (person id); Undo is offered for a while after. */
  completedAt?: Date;
  completedById?: string;
  note: string;
}
