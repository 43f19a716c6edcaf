import { addDays, dayInZone, isIsoDate } from "../dates.js";
import type { CoreDeps } from "../deps.js";
import type { RequestStatus } from "../domain.js";
import { AppError } from "../errors.js";
import { type FeedbackReport, feedbackReport } from "../feedback/feedback-report.js";
import type { Actor, IsoDate } from "../model.js";
import { isFaculty } from "../permissions.js";
import type { RequestActivity } from "../ports.js";
import { type ServiceClock, serviceClockOf, stageServiceLevel } from "./policy.js";
import { workingDaysBetween } from "./working-days.js";

/** Median and 90th percentile of a set of working-day durations. */
export interface Spread {
  count: number;
  median?: number;
  p90?: number;
}

export interface ServiceReport {
  from: IsoDate;
  to: IsoDate;
  /** Requests filed in the period, counted by their status now and by what they asked for. */
  filed: number;
  byStatus: Record<string, number>;
  byComponent: Record<string, number>;
  bySupportType: Record<string, number>;
  byPhase: Record<string, number>;
  /**
   * Working days from filing to the triage decision (accepted, declined, merged as a
   * duplicate), for requests filed in the period; days waiting on the requester (NEEDS_INFO)
   * are not counted.
   */
  toFirstTriage: Spread;
  /** Working days from filing to delivery, for sessions delivered in the period; days waiting on the requester are not counted. */
  toDelivery: Spread;
  delivered: { sessions: number; audience: number };
  /** Open assignments (accepted or scheduled) per lead, now. */
  openLoad: Array<{ lead: string; open: number }>;
  /** Stages that outlasted their service level, among requests active in the period. */
  breaches: { triage: number; answer: number; schedule: number };
  /** Feedback surveys sent in the period and what they got back. */
  feedback?: FeedbackReport;
}

/** The period `report` covers when none is given: the last 30 days, today included. */
export const REPORT_DEFAULT_DAYS = 30;

/** The moves that decide a request's triage (asking for information does not: it waits on the requester). */
const TRIAGE_DECISIONS = new Set(["accept", "decline", "merge"]);
/** How far a zone's day can be from UTC's: what widens the query so no local day is cut off. */
const MAX_ZONE_OFFSET_MS = 14 * 60 * 60_000;

/** Median (mean of the middle two for an even count) and nearest-rank 90th percentile. */
export function spread(values: number[]): Spread {
  if (values.length === 0) return { count: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { count: sorted.length, median, p90: sorted[Math.ceil(0.9 * sorted.length) - 1]! };
}

const tally = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** The report for [from, to] (days in the core's time zone), computed from the audit trail. Faculty and admins only. */
export async function serviceReport(deps: CoreDeps, actor: Actor, from: IsoDate, to: IsoDate): Promise<ServiceReport> {
  if (!isFaculty(actor)) throw new AppError("FORBIDDEN", "Only faculty and admins can see the report.");
  if (!isIsoDate(from) || !isIsoDate(to) || from > to) {
    throw new AppError("INVALID_INPUT", "Give the period as two dates, YYYY-MM-DD, the first not after the second.");
  }
  const activity = await deps.requests.activityBetween(
    new Date(Date.parse(`${from}T00:00:00Z`) - MAX_ZONE_OFFSET_MS),
    new Date(Date.parse(`${addDays(to, 1)}T00:00:00Z`) + MAX_ZONE_OFFSET_MS),
  );
  const [faculty, load] = await Promise.all([deps.people.listFaculty(), deps.requests.openLoadByLead()]);
  const names = new Map(faculty.map((person) => [person.id, person.displayName]));
  const today = dayInZone(deps.clock.now(), deps.timeZone);
  const report = computeReport(activity, from, to, today, serviceClockOf(deps));
  report.openLoad = [...load.entries()]
    .map(([id, open]) => ({ lead: names.get(id) ?? id, open }))
    .sort((a, b) => b.open - a.open || a.lead.localeCompare(b.lead));
  report.feedback = await feedbackReport(deps, from, to);
  return report;
}

/** The numbers, from requests and their trails alone (open load is added by the caller). */
export function computeReport(activity: RequestActivity[], from: IsoDate, to: IsoDate, today: IsoDate, clock: ServiceClock): ServiceReport {
  const day = (at: Date) => dayInZone(at, clock.timeZone);
  const inPeriod = (at: Date) => day(at) >= from && day(at) <= to;
  const between = (start: Date, end: Date) => workingDaysBetween(day(start), day(end), clock.calendar);
  const report: ServiceReport = {
    from,
    to,
    filed: 0,
    byStatus: {},
    byComponent: {},
    bySupportType: {},
    byPhase: {},
    toFirstTriage: { count: 0 },
    toDelivery: { count: 0 },
    delivered: { sessions: 0, audience: 0 },
    openLoad: [],
    breaches: { triage: 0, answer: 0, schedule: 0 },
  };
  const toFirstTriage: number[] = [];
  const toDelivery: number[] = [];
  for (const { request, events } of activity) {
    const filedAt = events.find((event) => event.action === "submit")?.at ?? request.createdAt;
    if (inPeriod(filedAt)) {
      report.filed++;
      tally(report.byStatus, request.status);
      tally(report.byComponent, request.form.component);
      tally(report.bySupportType, request.form.supportType);
      tally(report.byPhase, request.form.lifecyclePhase);
      const decision = events.find((event) => TRIAGE_DECISIONS.has(event.action));
      if (decision) toFirstTriage.push(between(filedAt, decision.at) - waitingOnRequester(events, decision.at, between));
    }
    const delivery = events.find((event) => event.toStatus === "DELIVERED");
    if (delivery && inPeriod(delivery.at)) {
      report.delivered.sessions++;
      report.delivered.audience += request.form.audienceSize;
      toDelivery.push(between(filedAt, delivery.at) - waitingOnRequester(events, delivery.at, between));
    }
    countBreaches(events, today, clock, report.breaches, between);
  }
  report.toFirstTriage = spread(toFirstTriage);
  report.toDelivery = spread(toDelivery);
  return report;
}

/** Working days spent in NEEDS_INFO before `until`: the clock is paused while the requester is asked. */
function waitingOnRequester(events: RequestActivity["events"], until: Date, between: (start: Date, end: Date) => number): number {
  const changes = events.filter((event) => event.fromStatus !== event.toStatus);
  let paused = 0;
  changes.forEach((event, index) => {
    if (event.toStatus !== "NEEDS_INFO" || event.at >= until) return;
    const next = changes[index + 1]?.at;
    paused += between(event.at, next && next < until ? next : until);
  });
  return paused;
}

const BREACH_OF: Partial<Record<RequestStatus, keyof ServiceReport["breaches"]>> = {
  SUBMITTED: "triage",
  NEEDS_INFO: "answer",
  ACCEPTED: "schedule",
};

/** Each stage (a status entered, until the next status change or today) that lasted longer than its level. */
function countBreaches(
  events: RequestActivity["events"],
  today: IsoDate,
  clock: ServiceClock,
  breaches: ServiceReport["breaches"],
  between: (start: Date, end: Date) => number,
): void {
  const changes = events.filter((event) => event.fromStatus !== event.toStatus);
  // Triage time before a question counts on after the answer (the clock was paused), once per triage round.
  let carried = 0;
  let counted = false;
  changes.forEach((event, index) => {
    const kind = BREACH_OF[event.toStatus];
    const level = stageServiceLevel(event.toStatus, clock.levels);
    if (!kind || level === undefined) return;
    const end = changes[index + 1]?.at;
    let lasted = end ? between(event.at, end) : workingDaysBetween(dayInZone(event.at, clock.timeZone), today, clock.calendar);
    if (event.toStatus !== "SUBMITTED") {
      if (lasted > level) breaches[kind]++;
      return;
    }
    if (event.fromStatus !== "NEEDS_INFO") [carried, counted] = [0, false];
    lasted += carried;
    carried = lasted;
    if (lasted > level && !counted) {
      breaches.triage++;
      counted = true;
    }
  });
}

/** The report as rows (section, item, value): the CSV and the command line's text. */
export function reportRows(report: ServiceReport): Array<[string, string, string | number]> {
  const counts = (section: string, values: Record<string, number>) =>
    Object.entries(values)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([key, count]): [string, string, number] => [section, key, count]);
  const spreadRows = (section: string, value: Spread): Array<[string, string, string | number]> => [
    [section, "count", value.count],
    [section, "median", value.median ?? ""],
    [section, "p90", value.p90 ?? ""],
  ];
  return [
    ["period", "from", report.from],
    ["period", "to", report.to],
    ["filed", "requests", report.filed],
    ...counts("status", report.byStatus),
    ...counts("component", report.byComponent),
    ...counts("support type", report.bySupportType),
    ...counts("lifecycle phase", report.byPhase),
    ...spreadRows("working days to triage (not counting waiting on the requester)", report.toFirstTriage),
    ...spreadRows("working days to delivery (not counting waiting on the requester)", report.toDelivery),
    ["delivered", "sessions", report.delivered.sessions],
    ["delivered", "audience", report.delivered.audience],
    ...report.openLoad.map(({ lead, open }): [string, string, number] => ["open load", lead, open]),
    ["service level breaches", "triage", report.breaches.triage],
    ["service level breaches", "answer", report.breaches.answer],
    ["service level breaches", "schedule", report.breaches.schedule],
    ...feedbackRows(report.feedback),
  ];
}

/** The feedback section as rows: counts, rate, average, distribution, then by component and by lead. */
function feedbackRows(feedback: FeedbackReport | undefined): Array<[string, string, string | number]> {
  if (!feedback) return [];
  const group = (section: string, groups: FeedbackReport["byComponent"]) =>
    groups.map(({ key, sent, answered, average }): [string, string, string] => [
      section,
      key,
      `${answered} of ${sent} answered, average ${average ?? "-"}`,
    ]);
  return [
    ["feedback", "surveys sent", feedback.sent],
    ["feedback", "answered", feedback.answered],
    ["feedback", "response rate %", feedback.responseRate ?? ""],
    ["feedback", "average rating", feedback.average ?? ""],
    ...Object.entries(feedback.distribution).map(([rating, count]): [string, string, number] => ["feedback ratings", rating, count]),
    ...group("feedback by component", feedback.byComponent),
    ...group("feedback by lead", feedback.byLead),
  ];
}
