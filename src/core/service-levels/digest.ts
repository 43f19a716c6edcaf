import { addDays } from "../dates.js";
import { OPEN_REQUEST_STATUSES } from "../domain.js";
import type { IsoDate, MaRequest } from "../model.js";
import { pastServiceLevel, type ServiceClock, stageServiceLevel, workingDaysWaiting } from "./policy.js";

export interface Waiting {
  request: MaRequest;
  /** Working days in its current status. */
  waited: number;
}

/** What a triage channel's morning digest says; empty sections are left out. */
export interface Digest {
  day: IsoDate;
  /** SUBMITTED, oldest first. */
  waitingForTriage: Waiting[];
  /** NEEDS_INFO, oldest first. */
  awaitingAnswers: Waiting[];
  /** SCHEDULED sessions starting Monday to Sunday of this week, by start. */
  sessionsThisWeek: MaRequest[];
  /** Any open request past its stage's service level, oldest first. */
  pastServiceLevel: Array<Waiting & { serviceLevel: number }>;
}

/** Monday of the week `day` is in. */
function mondayOf(day: IsoDate): IsoDate {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** The digest of `today` from the open requests. */
export function buildDigest(requests: readonly MaRequest[], today: IsoDate, clock: ServiceClock): Digest {
  const open = requests
    .filter((request) => OPEN_REQUEST_STATUSES.includes(request.status))
    .sort((a, b) => a.statusSince.getTime() - b.statusSince.getTime());
  const waiting = (request: MaRequest): Waiting => ({ request, waited: workingDaysWaiting(request, today, clock) });
  const monday = mondayOf(today);
  const sunday = addDays(monday, 6);
  return {
    day: today,
    waitingForTriage: open.filter((request) => request.status === "SUBMITTED").map(waiting),
    awaitingAnswers: open.filter((request) => request.status === "NEEDS_INFO").map(waiting),
    sessionsThisWeek: open
      .filter(
        (request) => request.status === "SCHEDULED" && (request.scheduledStart ?? "") >= monday && (request.scheduledStart ?? "") <= sunday,
      )
      .sort((a, b) => (a.scheduledStart ?? "").localeCompare(b.scheduledStart ?? "")),
    pastServiceLevel: open
      .filter((request) => pastServiceLevel(request, today, clock))
      .map((request) => ({ ...waiting(request), serviceLevel: stageServiceLevel(request.status, clock.levels) ?? 0 })),
  };
}

export const isEmptyDigest = (digest: Digest) =>
  digest.waitingForTriage.length + digest.awaitingAnswers.length + digest.sessionsThisWeek.length + digest.pastServiceLevel.length === 0;
