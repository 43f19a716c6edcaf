import type { Actor } from "../../core/model.js";
import { completeMilestone, snoozeReminder } from "../../core/reminders/milestone-actions.js";
import { answerError, isRefusal } from "../errors.js";
import { noticeView } from "../present.js";
import { type ActionId, decodeReminderAction } from "../views.js";
import type { InteractionDeps, Outcome } from "./outcome.js";

export const REMINDER_ACTIONS = ["milestoneDone", "reminderSnooze"] as const satisfies readonly ActionId[];
export type ReminderActionId = (typeof REMINDER_ACTIONS)[number];

export function isReminderAction(id: ActionId): id is ReminderActionId {
  return (REMINDER_ACTIONS as readonly ActionId[]).includes(id);
}

const SNOOZE_MS = 24 * 60 * 60 * 1000;

/** "Mark done" and "Snooze 1 day" on a reminder; answers with what happened. */
export async function reminderAction(deps: InteractionDeps, actor: Actor, id: ReminderActionId, valueText: string): Promise<Outcome> {
  const { core } = deps;
  const value = decodeReminderAction(valueText);
  if (!value) return { kind: "refused", notice: noticeView("This button is no longer valid.") };
  try {
    if (id === "milestoneDone") {
      if (!value.milestoneId) return { kind: "refused", notice: noticeView("This reminder has no milestone to complete.") };
      const milestone = await completeMilestone(core, actor, value.milestoneId);
      return { kind: "done", notice: noticeView(`Marked done on ${milestone.completedDate}. No more reminders for it.`) };
    }
    await snoozeReminder(core, actor, value.reminderId, new Date(core.clock.now().getTime() + SNOOZE_MS));
    return { kind: "done", notice: noticeView("Snoozed: this reminder comes back in a day.") };
  } catch (error) {
    const notice = answerError(error, deps.report, { step: id });
    return isRefusal(error) ? { kind: "refused", notice } : { kind: "failed", notice };
  }
}
