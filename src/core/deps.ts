import type { Clock } from "./clock.js";
import type { SurveyStore } from "./feedback/ports.js";
import type { RateLimits } from "./limits/rate-limits.js";
import type {
  AvailabilityStore,
  CaseDirectory,
  Outbox,
  PeopleDirectory,
  ReplyTemplateStore,
  RequesterCardStore,
  RequestRepository,
  SettingsStore,
  SkillStore,
  SubscriptionStore,
  TriageCardStore,
} from "./ports.js";
import type { RecordsStore } from "./records/ports.js";
import type { ServiceLevels } from "./service-levels/policy.js";
import type { WorkingCalendar } from "./service-levels/working-days.js";

/** What the core's use cases need from the outside world. */
export interface CoreDeps {
  requests: RequestRepository;
  cases: CaseDirectory;
  people: PeopleDirectory;
  subscriptions: SubscriptionStore;
  settings: SettingsStore;
  /** Everything the bot owes someone; reminders are planned and snoozed here. */
  outbox: Outbox;
  /** Where each request's triage cards are, and which version they show. */
  triageCards: TriageCardStore;
  /** Where each request's "received" card went to its requester, to redraw it with the moves left. */
  requesterCards: RequesterCardStore;
  /** Faculty saved replies. */
  templates: ReplyTemplateStore;
  /** When faculty are away (leave, TDY, teaching). */
  availability: AvailabilityStore;
  /** What faculty cover, for the lead picker. */
  skills: SkillStore;
  clock: Clock;
  /** IANA zone that decides what "today" is (REMINDER_TIMEZONE). */
  timeZone: string;
  /** Which days are working days: service levels count only those. */
  calendar: WorkingCalendar;
  /** TRIAGE_SLA_DAYS, ANSWER_SLA_DAYS, SCHEDULE_SLA_DAYS. */
  serviceLevels: ServiceLevels;
  /** Legal holds and retention; absent where records are not kept (some unit tests). */
  records?: RecordsStore;
  /** Feedback surveys of delivered requests. */
  surveys: SurveyStore;
  /** SURVEY_DELAY_DAYS: working days after delivery before the survey; 0 turns surveys off. Absent: 2. */
  surveyDelayDays?: number;
  /** MICROSOFT_CLOUD (public, usgov, usgov-dod): which Outlook an "Add to Outlook" link opens. Absent: public. */
  cloud?: string;
  /** Per-person rate limits (requests per hour, commands per minute); none when absent. */
  limits?: RateLimits;
}
