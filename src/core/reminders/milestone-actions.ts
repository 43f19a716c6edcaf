import { dayInZone } from "../dates.js";
import type { CoreDeps } from "../deps.js";
import { AppError, notFoundOrNotPermitted } from "../errors.js";
import type { Actor, Milestone } from "../model.js";
import { canSeeRequest, canUpdateMilestone } from "../permissions.js";

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

/** A reminder can be brought back this many times; after that it stays done. */
export const MAX_SNOOZES = 3;

/**
 * "Snooze 1 day": the same reminder comes again a day later, to the same place. Only a
 * reminder that was sent, only by someone who may see what it is about, and only a few
 * times: an old reminder's id cannot be used to replay it at will.
 */
export async function snoozeReminder(deps: CoreDeps, actor: Actor, reminderId: string, until: Date): Promise<void> {
  const reminder = await deps.outbox.find(reminderId);
  if (reminder?.kind !== "reminder" || !(await maySeeSubject(deps, actor, reminder.subjectKey))) {
    throw notFoundOrNotPermitted("That reminder");
  }
  if (reminder.status !== "SENT") throw new AppError("CONFLICT", "Only a reminder that was sent can be snoozed.");
  if (reminder.snoozes >= MAX_SNOOZES) {
    throw new AppError("CONFLICT", `This reminder was snoozed ${MAX_SNOOZES} times already; it will not come back again.`);
  }
  await deps.outbox.snooze(reminderId, until);
}

async function maySeeSubject(deps: CoreDeps, actor: Actor, subjectKey: string): Promise<boolean> {
  const [kind, id = ""] = subjectKey.split(":");
  if (kind === "milestone") {
    const found = await deps.cases.findMilestone(id);
    return Boolean(found && canUpdateMilestone(actor, found.caseRecord.id));
  }
  const request = await deps.requests.findById(id);
  return Boolean(request && canSeeRequest(actor, request));
}
