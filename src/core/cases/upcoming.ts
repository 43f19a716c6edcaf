import { addDays, dayInZone, daysBetween } from "../dates.js";
import type { CoreDeps } from "../deps.js";
import { AppError } from "../errors.js";
import type { Actor, CaseRecord, IsoDate, MaRequest, Milestone } from "../model.js";
import { canSeeRequest, visibleCasePrefixes } from "../permissions.js";

export const DEFAULT_UPCOMING_DAYS = 14;
export const MAX_UPCOMING_DAYS = 365;

export type UpcomingItem =
  | { kind: "milestone"; date: IsoDate; daysLeft: number; milestone: Milestone; caseRecord: CaseRecord }
  | { kind: "request"; date: IsoDate; daysLeft: number; request: MaRequest };

/** Milestones and scheduled Mission Assistance due in the next `days` days that the asker may see. */
export async function upcoming(deps: CoreDeps, actor: Actor, days = DEFAULT_UPCOMING_DAYS): Promise<UpcomingItem[]> {
  if (!Number.isInteger(days) || days < 1 || days > MAX_UPCOMING_DAYS) {
    throw new AppError("INVALID_INPUT", `Days must be a whole number from 1 to ${MAX_UPCOMING_DAYS}.`);
  }
  const today = dayInZone(deps.clock.now(), deps.timeZone);
  const until = addDays(today, days);
  const prefixes = visibleCasePrefixes(actor);
  const [milestones, requests] = await Promise.all([
    prefixes && prefixes.length === 0 ? [] : deps.cases.milestonesDueBetween(today, until, prefixes),
    deps.requests.listScheduledBetween(today, until),
  ]);
  const items: UpcomingItem[] = [
    ...milestones.map(({ milestone, caseRecord }) => {
      const date = milestone.dueDate ?? today;
      return { kind: "milestone" as const, date, daysLeft: daysBetween(today, date), milestone, caseRecord };
    }),
    ...requests
      .filter((request) => canSeeRequest(actor, request) && request.status === "SCHEDULED")
      .map((request) => {
        const date = request.scheduledStart ?? today;
        return { kind: "request" as const, date, daysLeft: daysBetween(today, date), request };
      }),
  ];
  return items.sort((a, b) => a.date.localeCompare(b.date));
}
