import type { App } from "@slack/bolt";
import { clickAction } from "../../chat/interactions/click-action.js";
import { outcomeMessage } from "../../chat/interactions/outcome.js";
import { useTemplate } from "../../chat/interactions/use-template.js";
import { readModalValues, renderModal } from "../blocks.js";
import { actionFromId, actionIdOf, formFromCallbackId, NEW_REQUEST_ACTION } from "../ids.js";
import { openBlankRequestForm } from "./commands.js";
import { replaceMessage, type SlackListenerDeps, slackIdentity, tellUser } from "./deps.js";
import { openModal } from "./modals.js";

const PRESS_AGAIN = "press the button";

/** Buttons: App Home's "New request", and every card button (moves, reminders). */
export function register(app: App, deps: SlackListenerDeps): void {
  app.action(NEW_REQUEST_ACTION, async ({ ack, body }) => {
    await ack();
    if ("trigger_id" in body && body.trigger_id) await openModal(deps, openBlankRequestForm(body.trigger_id), body, PRESS_AGAIN);
  });

  // A saved reply chosen in an open modal: the same modal, its text box filled in.
  app.action(actionIdOf("useTemplate"), async ({ ack, body }) => {
    await ack();
    if (body.type !== "block_actions" || !body.view) return;
    const formId = formFromCallbackId(body.view.callback_id);
    if (!formId) return;
    const outcome = await useTemplate(deps.interaction, {
      identity: slackIdentity(body.user, body.team?.id ?? undefined),
      platform: "slack",
      formId,
      state: body.view.private_metadata,
      values: readModalValues(body.view.state as Parameters<typeof readModalValues>[0]),
    });
    if (outcome.kind === "form") {
      // The hash makes Slack refuse the update if the modal changed meanwhile.
      await deps.api.call("views.update", { view_id: body.view.id, hash: body.view.hash, view: renderModal(outcome.form) });
      return;
    }
    if (outcome.kind !== "invalid") await tellUser(deps, { user: body.user }, outcomeMessage(outcome));
  });

  app.action(/^ma_(?!new_request$|useTemplate$)/, async ({ ack, body, action }) => {
    await ack();
    if (body.type !== "block_actions" || action.type !== "button" || !("action_id" in action)) return;
    const actionId = actionFromId(action.action_id);
    if (!actionId) return;
    const identity = slackIdentity(body.user, body.team?.id ?? undefined);
    // Weekly at most, beside the click, never awaited: a form must open within trigger_id's 3 s.
    // It never throws (a fault is one log line); what it stores serves the answers that follow.
    void deps.contacts.refresh(identity, body.user.id);
    const outcome = await clickAction(deps.interaction, {
      identity,
      platform: "slack",
      actionId,
      value: action.value ?? "",
    });
    if (outcome.kind === "form") {
      await openModal(deps, { trigger_id: body.trigger_id, view: renderModal(outcome.form) }, body, PRESS_AGAIN);
      return;
    }
    // Mark done and Undo change the reminder itself, for everyone who sees it.
    if (outcome.kind === "done" && outcome.reminder?.replace) {
      await replaceMessage(deps, body, outcome.reminder.card);
      return;
    }
    // A move's result shows on the redrawn card; anything else is told to the clicker only
    // (an ephemeral answer: a reminder's "Details privately" too).
    if (outcome.kind === "done" && outcome.card) return;
    if (outcome.kind !== "invalid") await tellUser(deps, body, outcomeMessage(outcome));
  });
}
