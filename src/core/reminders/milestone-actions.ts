import { dayInZone } from "../dates.js";
import type { CoreDeps } from "../deps.js";
import { AppError, notFoundOrNotPermitted } from "../errors.js";
import type { Actor, Milestone } from "../model.js";
import { canUpdateMilestone } from "../permissions.js";

/**
 * "Mark done" on a milestone reminder: faculty, admin and case-viewers of the case.
 * Completing it stops its reminders, including ones already planned.
 */
export async function completeMilestone(deps: CoreDeps, actor: Actor, milestoneId: string): Promise<Milestone> {
  const found = await deps.cases.findMilestone(milestoneId);
  if (!found || !canUpdateMilestone(actor, found.caseRecord.id)) throw notFoundOrNotPermitted("That milestone");
  if (found.milestone.completedDate) return found.milestone;
  const completedDate = dayInZone(deps.clock.now(), deps.timeZone);
  await deps.cases.updateMilestone(milestoneId, { completedDate });
  await deps.outbox.cancelPending(`milestone:${milestoneId}`);
  return { ...found.milestone, completedDate };
}

/** "Snooze 1 day": the same reminder comes again a day later, to the same place. */
export async function snoozeReminder(deps: CoreDeps, actor: Actor, reminderId: string, until: Date): Promise<void> {
  const reminder = await deps.outbox.find(reminderId);
  if (!reminder) throw notFoundOrNotPermitted("That reminder");
  if (reminder.subjectKey.startsWith("milestone:")) {
    const found = await deps.cases.findMilestone(reminder.subjectKey.slice("milestone:".length));
    if (!found || !canUpdateMilestone(actor, found.caseRecord.id)) throw notFoundOrNotPermitted("That reminder");
  }
  if (reminder.status === "CANCELLED") throw new AppError("CONFLICT", "That reminder was cancelled; nothing to snooze.");
  await deps.outbox.snooze(reminderId, until);
}
