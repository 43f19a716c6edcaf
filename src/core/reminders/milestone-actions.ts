import { dayInZone } from "../dates.js";
import type { CoreDeps } from "../deps.js";
import { AppError, notFoundOrNotPermitted } from "../errors.js";
import type { Actor, CaseRecord, Milestone } from "../model.js";
import { canSeeRequest, canUpdateMilestone } from "../permissions.js";

/** How long "Mark done" can be undone from the reminder: a mis-click on shared case data is easy to make. */
export const UNDO_WINDOW_MS = 10 * 60 * 1000;

export interface MilestoneState {
  milestone: Milestone;
  caseRecord: CaseRecord;
  /** Who marked it done, by name, when known. */
  completedBy?: string;
  /** Until when "Undo" works. */
  undoUntil?: Date;
}

async function readMilestone(deps: CoreDeps, actor: Actor, milestoneId: string) {
  const found = await deps.cases.findMilestone(milestoneId);
  if (!found || !canUpdateMilestone(actor, found.caseRecord.id)) throw notFoundOrNotPermitted("That milestone");
  return found;
}

/** A milestone as a reminder card shows it: who marked it done, and until when that can be undone. */
export async function milestoneState(deps: CoreDeps, actor: Actor, milestoneId: string): Promise<MilestoneState> {
  const { milestone, caseRecord } = await readMilestone(deps, actor, milestoneId);
  const by = milestone.completedById ? await deps.people.findPerson(milestone.completedById) : undefined;
  const undoUntil = milestone.completedAt ? new Date(milestone.completedAt.getTime() + UNDO_WINDOW_MS) : undefined;
  return { milestone, caseRecord, completedBy: by?.person.displayName, undoUntil };
}

/**
 * "Mark done" on a milestone reminder: faculty, admin and case-viewers of the case.
 * Completing it stops its reminders, including ones already planned (Undo restores them).
 * Done already: nothing changes, and the answer says who did it.
 */
export async function completeMilestone(deps: CoreDeps, actor: Actor, milestoneId: string): Promise<MilestoneState> {
  const found = await readMilestone(deps, actor, milestoneId);
  if (found.milestone.completedDate) return milestoneState(deps, actor, milestoneId);
  const completedAt = deps.clock.now();
  const completedDate = dayInZone(completedAt, deps.timeZone);
  await deps.cases.updateMilestone(milestoneId, { completedDate, completedAt, completedById: actor.id });
  await deps.outbox.cancelPending(`milestone:${milestoneId}`);
  return {
    ...found,
    milestone: { ...found.milestone, completedDate, completedAt, completedById: actor.id },
    completedBy: actor.displayName,
    undoUntil: new Date(completedAt.getTime() + UNDO_WINDOW_MS),
  };
}

/**
 * "Undo" after "Mark done": within 10 minutes of the click, by anyone who may mark it done;
 * the milestone is open again and the reminders the completion cancelled are owed again.
 * A milestone completed otherwise (an import) has no undo here.
 */
export async function undoMilestone(deps: CoreDeps, actor: Actor, milestoneId: string): Promise<MilestoneState> {
  const found = await readMilestone(deps, actor, milestoneId);
  const { completedAt } = found.milestone;
  if (!found.milestone.completedDate) return { ...found };
  const now = deps.clock.now();
  if (!completedAt || now.getTime() - completedAt.getTime() > UNDO_WINDOW_MS) {
    throw new AppError("CONFLICT", "It was marked done more than 10 minutes ago, so it can no longer be undone here.");
  }
  await deps.cases.updateMilestone(milestoneId, { completedDate: null, completedAt: null, completedById: null });
  await deps.outbox.reopenCancelled(`milestone:${milestoneId}`, now);
  const { completedDate: _date, completedAt: _at, completedById: _by, ...open } = found.milestone;
  return { ...found, milestone: open };
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
