import { addDays } from "../core/dates.js";
import { INACTIVE_CASE_STATUSES } from "../core/domain.js";
import type { IsoDate, Platform } from "../core/model.js";
import type { ReminderOutbox, SettingsStore } from "../core/ports.js";
import { dueDateWindow, reminderOffsetToSend } from "../core/reminders/policy.js";
import type { Db } from "../db/client.js";
import { reminderDay } from "./working-day.js";

export interface PlanDeps {
  prisma: Db;
  outbox: ReminderOutbox;
  settings: SettingsStore;
  offsets: readonly number[];
  timeZone: string;
}

export interface PlannedReminder {
  subjectKey: string;
  dueDate: IsoDate;
  offsetDays: number;
  platform: Platform;
  /** A channel, or `@<identity key>` for a direct message. */
  conversationId: string;
}

export interface PlanResult {
  /** Reminders that came due in this pass's window, one per item and target. */
  candidates: PlannedReminder[];
  /** Of those, how many were new to the outbox. */
  stored: number;
  window: { sinceDay: IsoDate; untilDay: IsoDate };
}

const LAST_DAY_KEY = "reminders:last-day";

/** Every platform identity of a person as a direct-message target. */
function directTargets(identityKeys: string[]): Array<{ platform: Platform; conversationId: string }> {
  return identityKeys
    .filter((key) => key.startsWith("slack:") || key.startsWith("teams:"))
    .map((key) => ({ platform: key.slice(0, key.indexOf(":")) as Platform, conversationId: `@${key}` }));
}

/**
 * Writes each reminder that came due since the last pass into the outbox, once: the
 * outbox's unique (subject, due date, offset, target) key makes planning idempotent, so
 * overlapping passes and replicas plan the same rows at most once. The scan reads only
 * due dates that can have a reminder in the window (indexed), not every milestone.
 */
export async function planReminders(deps: PlanDeps, now: Date, options: { dryRun?: boolean } = {}): Promise<PlanResult> {
  const untilDay = reminderDay(now, deps.timeZone);
  const lastDay = (await deps.settings.get(LAST_DAY_KEY)) ?? addDays(untilDay, -1);
  // Look one day further back than the last pass: a subscription made after yesterday's
  // pass still gets yesterday's reminder, and the unique key keeps it from repeating.
  const sinceDay = addDays(lastDay < untilDay ? lastDay : untilDay, -1);
  const { from, to } = dueDateWindow(deps.offsets, sinceDay, untilDay);
  const candidates: PlannedReminder[] = [];

  const milestones = await deps.prisma.milestone.findMany({
    where: { dueDate: { gte: from, lte: to }, completedDate: null, case: { status: { notIn: [...INACTIVE_CASE_STATUSES] } } },
    select: { id: true, caseId: true, dueDate: true },
  });
  const caseIds = [...new Set(milestones.map((milestone) => milestone.caseId))];
  const caseSubscriptions = caseIds.length
    ? await deps.prisma.subscription.findMany({ where: { targetType: "case", targetId: { in: caseIds } } })
    : [];
  for (const milestone of milestones) {
    const offset = reminderOffsetToSend(milestone.dueDate ?? "", deps.offsets, sinceDay, untilDay);
    if (offset === undefined) continue;
    for (const subscription of caseSubscriptions.filter((item) => item.targetId === milestone.caseId)) {
      candidates.push({
        subjectKey: `milestone:${milestone.id}`,
        dueDate: milestone.dueDate ?? "",
        offsetDays: offset,
        platform: subscription.platform as Platform,
        conversationId: subscription.conversationId,
      });
    }
  }

  const identities = { select: { identities: { select: { key: true } } } } as const;
  const requests = await deps.prisma.maRequest.findMany({
    where: { status: "SCHEDULED", scheduledStart: { gte: from, lte: to } },
    select: { id: true, scheduledStart: true, requester: identities, lead: identities },
  });
  const requestSubscriptions = requests.length
    ? await deps.prisma.subscription.findMany({ where: { targetType: "request", targetId: { in: requests.map((request) => request.id) } } })
    : [];
  for (const request of requests) {
    const offset = reminderOffsetToSend(request.scheduledStart ?? "", deps.offsets, sinceDay, untilDay);
    if (offset === undefined) continue;
    const people = [request.requester, ...(request.lead ? [request.lead] : [])].flatMap((person) =>
      person.identities.map((identity) => identity.key),
    );
    const targets = [
      ...directTargets([...new Set(people)]),
      ...requestSubscriptions
        .filter((item) => item.targetId === request.id)
        .map((item) => ({ platform: item.platform as Platform, conversationId: item.conversationId })),
    ];
    for (const target of targets) {
      candidates.push({ subjectKey: `request:${request.id}`, dueDate: request.scheduledStart ?? "", offsetDays: offset, ...target });
    }
  }

  let stored = 0;
  if (!options.dryRun) {
    for (const candidate of candidates) if (await deps.outbox.insertIfAbsent(candidate, now)) stored++;
    await deps.settings.set(LAST_DAY_KEY, untilDay);
  }
  return { candidates, stored, window: { sinceDay, untilDay } };
}
