import type { Clock } from "./clock.js";
import type { CaseDirectory, PeopleDirectory, RequestRepository, SettingsStore, SubscriptionStore } from "./ports.js";

/** What the core's use cases need from the outside world. */
export interface CoreDeps {
  requests: RequestRepository;
  cases: CaseDirectory;
  people: PeopleDirectory;
  subscriptions: SubscriptionStore;
  settings: SettingsStore;
  clock: Clock;
  /** IANA zone that decides what "today" is (REMINDER_TIMEZONE). */
  timeZone: string;
}
