import { addDays } from "../core/dates.js";
import type { CoreDeps } from "../core/deps.js";
import { labelOf } from "../core/domain.js";
import type { IsoDate } from "../core/model.js";
import { directTargets } from "../core/people/identity.js";
import type { PlannedReminder } from "../core/ports.js";
import { dueDateWindow, reminderOffsetToSend } from "../core/reminders/policy.js";
import { reminderDay } from "./working-day.js";

export interface PlanDeps {
  core: CoreDeps;
  offsets: readonly number[];
  timeZone: string;
}

export interface PlanResult {
  /** Reminders that came due in this pass's window, one per item and target, named for people. */
  candidates: Array<PlannedReminder & { what: string }>;
  /** Of those, how many were new to the outbox. */
  stored: number;
  window: { sinceDay: IsoDate; untilDay: IsoDate };
}

const LAST_DAY_KEY = "reminders:last-day";

/**
 * Writes each reminder that came due since the last pass into the outbox, once: the
 * outbox's unique (subject, due date, offset, target) key makes planning idempotent, so
 * overlapping passes and replicas plan the same rows at most once. The scan reads only
 * due dates that can have a reminder in the window (indexed), not every milestone.
 * `owedAt` (default `now`) is the real time the rows are owed from, when `now` is simulated.
 */
export async function planReminders(deps: PlanDeps, now: Date, options: { dryRun?: boolean; owedAt?: Date } = {}): Promise<PlanResult> {
  const { core } = deps;
  const untilDay = reminderDay(now, deps.timeZone);
  const lastDay = (await core.settings.get(LAST_DAY_KEY)) ?? addDays(untilDay, -1);
  // Look one day further back than the last pass: a subscription made after yesterday's
  // pass still gets yesterday's reminder, and the unique key keeps it from repeating.
  const sinceDay = addDays(lastDay < untilDay ? lastDay : untilDay, -1);
  const { from, to } = dueDateWindow(deps.offsets, sinceDay, untilDay);
  const candidates: PlanResult["candidates"] = [];

  const milestones = await core.cases.milestonesDueBetween(from, to, undefined);
  const caseSubscriptions = await core.subscriptions.listForTargets("case", [...new Set(milestones.map((item) => item.caseRecord.id))]);
  for (const { milestone, caseRecord } of milestones) {
    const offset = reminderOffsetToSend(milestone.dueDate ?? "", deps.offsets, sinceDay, untilDay);
    if (offset === undefined) continue;
    for (const subscription of caseSubscriptions.filter((item) => item.target.id === milestone.caseId)) {
      candidates.push({
        what: `${caseRecord.id} ${labelOf(milestone.type)}`,
        subjectKey: `milestone:${milestone.id}`,
        dueDate: milestone.dueDate ?? "",
        offsetDays: offset,
        platform: subscription.platform,
        conversationId: subscription.conversationId,
      });
    }
  }

  const requests = (await core.requests.listScheduledBetween(from, to)).filter((request) => request.status === "SCHEDULED");
  const requestSubscriptions = await core.subscriptions.listForTargets(
    "request",
    requests.map((request) => request.id),
  );
  for (const request of requests) {
    const offset = reminderOffsetToSend(request.scheduledStart ?? "", deps.offsets, sinceDay, untilDay);
    if (offset === undefined) continue;
    const people = [request.requester, ...(request.lead ? [request.lead] : [])].flatMap((person) => person.identityKeys);
    const targets = [
      ...directTargets(people),
      ...requestSubscriptions
        .filter((item) => item.target.id === request.id)
        .map((item) => ({ platform: item.platform, conversationId: item.conversationId })),
    ];
    for (const target of targets) {
      candidates.push({
        what: `${request.number} starts`,
        subjectKey: `request:${request.id}`,
        dueDate: request.scheduledStart ?? "",
        offsetDays: offset,
        ...target,
      });
    }
  }

  let stored = 0;
  if (!options.dryRun) {
    const owedAt = options.owedAt ?? now;
    for (const { what: _what, ...candidate } of candidates) if (await core.outbox.insertReminder(candidate, owedAt)) stored++;
    await core.settings.set(LAST_DAY_KEY, untilDay);
  }
  return { candidates, stored, window: { sinceDay, untilDay } };
}
