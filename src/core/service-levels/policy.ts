import { dayInZone } from "../dates.js";
import type { CoreDeps } from "../deps.js";
import type { RequestStatus } from "../domain.js";
import type { IsoDate, MaRequest } from "../model.js";
import { addWorkingDays, type WorkingCalendar, workingDaysBetween } from "./working-days.js";

/** How many working days each stage may wait before someone is nudged (TRIAGE_SLA_DAYS, …). */
export interface ServiceLevels {
  triageDays: number;
  answerDays: number;
  scheduleDays: number;
  /** Working days after it closed that a delivered or declined request may be reopened (REOPEN_WINDOW_DAYS). */
  reopenWindowDays: number;
}

export const DEFAULT_SERVICE_LEVELS: ServiceLevels = { triageDays: 2, answerDays: 5, scheduleDays: 10, reopenWindowDays: 10 };

/**
 * Who a nudge goes to: the triage card's thread, the admins, the requester, the faculty
 * member who asked the open question, or the lead.
 */
export type NudgeAudience = "triage-card" | "admins" | "requester" | "asker" | "lead";

export interface Nudge {
  /** The status it is about: a nudge is cancelled once the request leaves it. */
  stage: RequestStatus;
  /** 1 at the service level, 2 when it is escalated. */
  level: 1 | 2;
  audience: NudgeAudience;
  /** The working day it is owed from. */
  dueDay: IsoDate;
}

/** What a nudge row carries: the stage it is about (a move cancels it) and what it says. */
export interface NudgeBody {
  stage: MaRequest["status"];
  /** The request's statusSince, ISO: a request that left the stage and came back is a new stage. */
  since: string;
  level: Nudge["level"];
  audience: Nudge["audience"];
  waited: number;
  serviceLevel: number;
  /** Set when the person it is for is away: it goes to their backup or the admins instead. */
  coveringFor?: { name: string; until: IsoDate };
}

/** A stage's nudges: at which multiple of its service level, to whom. */
interface Step {
  multiple: number;
  level: 1 | 2;
  audience: NudgeAudience;
}

const STEPS: Partial<Record<RequestStatus, { days: keyof ServiceLevels; steps: Step[] }>> = {
  SUBMITTED: {
    days: "triageDays",
    steps: [
      { multiple: 1, level: 1, audience: "triage-card" },
      { multiple: 2, level: 2, audience: "admins" },
    ],
  },
  NEEDS_INFO: {
    days: "answerDays",
    steps: [
      { multiple: 1, level: 1, audience: "requester" },
      { multiple: 3, level: 2, audience: "asker" },
    ],
  },
  ACCEPTED: { days: "scheduleDays", steps: [{ multiple: 1, level: 1, audience: "lead" }] },
};

export interface ServiceClock {
  calendar: WorkingCalendar;
  levels: ServiceLevels;
  timeZone: string;
}

export const serviceClockOf = (core: Pick<CoreDeps, "calendar" | "serviceLevels" | "timeZone">): ServiceClock => ({
  calendar: core.calendar,
  levels: core.serviceLevels,
  timeZone: core.timeZone,
});

/** The day a request entered its current status, where service levels count from. */
export const stageStartDay = (request: Pick<MaRequest, "statusSince">, clock: ServiceClock): IsoDate =>
  dayInZone(request.statusSince, clock.timeZone);

type Staged = Pick<MaRequest, "statusSince" | "status" | "stageCreditDays">;

/**
 * Working days counted before the current status began: waiting on the requester pauses
 * the triage clock, so a request back from NEEDS_INFO counts on from where it stopped.
 */
const creditOf = (request: Staged) => (request.status === "SUBMITTED" ? (request.stageCreditDays ?? 0) : 0);

/** Working days a request has waited in its current stage by the end of `today` (time waiting on the requester left out). */
export function workingDaysWaiting(request: Staged, today: IsoDate, clock: ServiceClock): number {
  return workingDaysBetween(stageStartDay(request, clock), today, clock.calendar) + creditOf(request);
}

/**
 * The stage credit a move leaves: asking for information pauses the triage clock with the
 * days counted so far; answering (and edits, notes) keep it; any other move starts a new
 * stage from 0. Undefined: unchanged.
 */
export function creditAfterMove(request: Staged, kind: string, at: Date, clock: ServiceClock): number | undefined {
  if (kind === "askInfo") return workingDaysWaiting(request, dayInZone(at, clock.timeZone), clock);
  if (kind === "answer" || kind === "edit") return undefined;
  return 0;
}

/** Every nudge the request's current stage has, due or not. */
export function stageNudges(request: MaRequest, clock: ServiceClock): Nudge[] {
  if (request.status === "SCHEDULED") {
    // The session's end passed without Mark delivered: the lead, the next working morning.
    if (!request.scheduledEnd) return [];
    const dueDay = addWorkingDays(request.scheduledEnd, 1, clock.calendar);
    return [{ stage: "SCHEDULED", level: 1, audience: "lead", dueDay }];
  }
  const stage = STEPS[request.status];
  if (!stage) return [];
  const start = stageStartDay(request, clock);
  const credit = creditOf(request);
  return stage.steps.map((step) => ({
    stage: request.status,
    level: step.level,
    audience: step.audience,
    dueDay: addWorkingDays(start, Math.max(0, clock.levels[stage.days] * step.multiple - credit), clock.calendar),
  }));
}

/** The nudges owed by `today`. */
export function nudgesDue(request: MaRequest, today: IsoDate, clock: ServiceClock): Nudge[] {
  return stageNudges(request, clock).filter((nudge) => nudge.dueDay <= today);
}

/** Whether the request has waited in its stage past its service level (its first nudge is due). */
export function pastServiceLevel(request: MaRequest, today: IsoDate, clock: ServiceClock): boolean {
  return nudgesDue(request, today, clock).length > 0;
}

/** The service level of a request's current stage, in working days (undefined when none applies). */
export function stageServiceLevel(status: RequestStatus, levels: ServiceLevels): number | undefined {
  const stage = STEPS[status];
  return stage ? levels[stage.days] : undefined;
}
