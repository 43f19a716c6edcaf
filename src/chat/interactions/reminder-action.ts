import { lookupCase } from "../../core/cases/lookup-case.js";
import { dayInZone, daysBetween } from "../../core/dates.js";
import type { CoreDeps } from "../../core/deps.js";
import { notFoundOrNotPermitted } from "../../core/errors.js";
import type { Actor, Platform } from "../../core/model.js";
import { identityOfAddress } from "../../core/people/identity.js";
import {
  completeMilestone,
  type MilestoneState,
  milestoneState,
  snoozeReminder,
  undoMilestone,
} from "../../core/reminders/milestone-actions.js";
import type { ChatChannel } from "../channel.js";
import { answerError, isRefusal } from "../errors.js";
import { noticeView } from "../present.js";
import { caseView, milestoneSubject, reminderDoneView, reminderView } from "../present-cases.js";
import { type ActionId, decodeReminderAction, type MessageView, type ReminderActionValue } from "../views.js";
import type { InteractionDeps, Outcome } from "./outcome.js";

export const REMINDER_ACTIONS = [
  "milestoneDone",
  "reminderSnooze",
  "reminderDetails",
  "milestoneUndo",
  "reminderBack",
] as const satisfies readonly ActionId[];
export type ReminderActionId = (typeof REMINDER_ACTIONS)[number];

export function isReminderAction(id: ActionId): id is ReminderActionId {
  return (REMINDER_ACTIONS as readonly ActionId[]).includes(id);
}

const SNOOZE_MS = 24 * 60 * 60 * 1000;

/**
 * The buttons on a reminder: Mark done (asked first by the platform), Undo, Snooze 1 day,
 * Details privately, and Teams' way back from the confirm step. Each answers with what
 * happened and the reminder as it now stands, still naming the case and milestone.
 */
export async function reminderAction(
  deps: InteractionDeps,
  actor: Actor,
  id: ReminderActionId,
  valueText: string,
  platform: Platform,
): Promise<Outcome> {
  const { core } = deps;
  const value = decodeReminderAction(valueText);
  if (!value) return { kind: "refused", notice: noticeView("This button is no longer valid.") };
  try {
    if (id === "reminderSnooze") {
      await snoozeReminder(core, actor, value.reminderId, new Date(core.clock.now().getTime() + SNOOZE_MS));
      const notice = noticeView("Snoozed: this reminder comes back in a day.");
      const card = await reminderCard(deps, platform, actor, value, `Snoozed by ${actor.displayName}: it comes back in a day.`);
      return { kind: "done", notice, reminder: card ? { card, replace: false } : undefined };
    }
    if (!value.milestoneId) return { kind: "refused", notice: noticeView("This reminder has no milestone to complete.") };
    switch (id) {
      case "milestoneDone": {
        const state = await completeMilestone(core, actor, value.milestoneId);
        const card = await doneCard(deps, platform, state, value);
        return { kind: "done", notice: card, reminder: { card, replace: true } };
      }
      case "milestoneUndo": {
        await undoMilestone(core, actor, value.milestoneId);
        const card = await reminderCard(deps, platform, actor, value, `Undone by ${actor.displayName}: not done after all.`);
        const notice = noticeView("Undone: the milestone is open again, and its reminders come back.");
        return { kind: "done", notice, reminder: card ? { card, replace: true } : undefined };
      }
      case "reminderBack": {
        const card = await reminderCard(deps, platform, actor, value);
        if (!card) throw notFoundOrNotPermitted("That reminder");
        return { kind: "done", notice: card, reminder: { card, replace: false } };
      }
      case "reminderDetails": {
        // Anyone in the channel may press it: the case is shown only to whoever may see it.
        const { milestoneId } = value;
        const found = await core.cases.findMilestone(milestoneId);
        const detail = await lookupCase(core, actor, found?.caseRecord.id ?? "");
        const card = await reminderCard(deps, platform, actor, { ...value, milestoneId });
        return { kind: "done", notice: caseView(detail), reminder: card ? { card, replace: false, confidential: true } : undefined };
      }
    }
  } catch (error) {
    const notice = answerError(error, deps.report, { step: id });
    return isRefusal(error) ? { kind: "refused", notice } : { kind: "failed", notice };
  }
}

/** Where the reminder was sent: a person's 1:1 chat (`@…`) or a channel; unknown reads as a channel. */
async function sentToPerson(core: CoreDeps, reminderId: string): Promise<boolean> {
  const row = await core.outbox.find(reminderId);
  return Boolean(row && identityOfAddress(row.conversationId));
}

/** How commands are typed where the click came from ("/ma " on Slack), for the card's hints. */
const prefixOf = (deps: InteractionDeps, platform: Platform) =>
  deps.channels.find((channel: ChatChannel) => channel.platform === platform)?.commandPrefix ?? "";

/** The reminder card again (after Undo, Snooze, or leaving the confirm step), for someone who may see it. */
async function reminderCard(
  deps: InteractionDeps,
  platform: Platform,
  actor: Actor,
  value: ReminderActionValue,
  change?: string,
): Promise<MessageView | undefined> {
  const { core } = deps;
  if (!value.milestoneId) return undefined;
  const { milestone, caseRecord } = await milestoneState(core, actor, value.milestoneId);
  const subject = milestoneSubject(caseRecord, milestone, await sentToPerson(core, value.reminderId));
  const daysLeft = daysBetween(dayInZone(core.clock.now(), core.timeZone), milestone.dueDate ?? "");
  return reminderView(subject, daysLeft, value.reminderId, prefixOf(deps, platform), change);
}

async function doneCard(
  deps: InteractionDeps,
  platform: Platform,
  state: MilestoneState,
  value: ReminderActionValue,
): Promise<MessageView> {
  const subject = milestoneSubject(state.caseRecord, state.milestone, await sentToPerson(deps.core, value.reminderId));
  if (subject.kind !== "milestone") throw new Error("a milestone subject");
  return reminderDoneView(
    subject,
    { by: state.completedBy, on: state.milestone.completedDate ?? "" },
    value.reminderId,
    prefixOf(deps, platform),
  );
}
