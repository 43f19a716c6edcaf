import type { CoreDeps } from "../core/deps.js";
import { isAppError } from "../core/errors.js";
import type { Actor } from "../core/model.js";
import type { ReminderOutbox } from "../core/ports.js";
import { completeMilestone, snoozeReminder } from "../core/reminders/milestone-actions.js";
import { noticeView } from "./present.js";
import { type ActionId, decodeReminderAction, type MessageView } from "./views.js";

export const REMINDER_ACTIONS = ["milestoneDone", "reminderSnooze"] as const satisfies readonly ActionId[];
export type ReminderActionId = (typeof REMINDER_ACTIONS)[number];

export function isReminderAction(id: ActionId): id is ReminderActionId {
  return (REMINDER_ACTIONS as readonly ActionId[]).includes(id);
}

const SNOOZE_MS = 24 * 60 * 60 * 1000;

/** "Mark done" and "Snooze 1 day" on a reminder; answers with what happened. */
export async function handleReminderAction(
  deps: CoreDeps & { outbox: ReminderOutbox },
  actor: Actor,
  id: ReminderActionId,
  valueText: string,
): Promise<MessageView> {
  const value = decodeReminderAction(valueText);
  if (!value) return noticeView("This button is no longer valid.");
  try {
    if (id === "milestoneDone") {
      if (!value.milestoneId) return noticeView("This reminder has no milestone to complete.");
      const milestone = await completeMilestone(deps, actor, value.milestoneId);
      return noticeView(`Marked done on ${milestone.completedDate}. No more reminders for it.`);
    }
    await snoozeReminder(deps, actor, value.reminderId, new Date(deps.clock.now().getTime() + SNOOZE_MS));
    return noticeView("Snoozed: this reminder comes back in a day.");
  } catch (error) {
    if (isAppError(error) && error.code !== "UNAVAILABLE") return noticeView(error.message);
    throw error;
  }
}
