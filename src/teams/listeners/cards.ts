import type { Application, TurnState } from "@microsoft/teams-ai";
import { ActivityTypes, type TurnContext } from "botbuilder";
import { plainText } from "../../chat/inert.js";
import { clickAction } from "../../chat/interactions/click-action.js";
import { type Outcome, outcomeMessage } from "../../chat/interactions/outcome.js";
import { submitForm } from "../../chat/interactions/submit-form.js";
import { useTemplate } from "../../chat/interactions/use-template.js";
import { noticeView, withBanner } from "../../chat/present.js";
import { type ConfirmView, FORM_IDS, type FormId } from "../../chat/views.js";
import { type AdaptiveCard, cardActivity, renderCard, renderConfirmCard, renderFormCard } from "../cards.js";
import { isPersonal, teamsIdentity } from "../conversations.js";
import { actionFromVerb, formFromVerb } from "../ids.js";
import type { TeamsListenerDeps } from "./deps.js";

/**
 * The card that replaces the one the person acted on (universal actions: replace for the
 * interactor), or `keep`: leave the card as it is and show the reason beside it.
 * A refused or failed move shows the request's card again with the reason on top, so
 * the buttons stay: a bare notice would leave faculty nothing to press but `show`.
 */
function cardFor(outcome: Outcome): AdaptiveCard | { keep: string } {
  switch (outcome.kind) {
    case "invalid":
    case "form":
      return renderFormCard(outcome.form);
    case "done":
      return renderCard(outcome.card ?? outcome.notice);
    case "failed":
      if (outcome.form) return renderFormCard(outcome.form);
      // The request could not even be read: the card the person has is the best there is.
      return outcome.current ? renderCard(withBanner(outcome.current, outcome.notice.text)) : { keep: outcome.notice.text };
    case "stale":
      return renderCard(outcomeMessage(outcome));
    case "refused":
      // Without a request the person may see (a forged or expired button), there is no card to give back.
      return renderCard(withBanner(outcome.current ?? noticeView("Nothing was changed."), outcome.notice.text));
  }
}

/**
 * Answers the invoke with an error: Teams leaves the card as it was, buttons and all, and
 * shows the message beside it (universal actions' `application/vnd.microsoft.error`).
 */
async function keepCard(context: TurnContext, message: string): Promise<string> {
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: {
      status: 200,
      body: { statusCode: 500, type: "application/vnd.microsoft.error", value: { code: "InternalServerError", message } },
    },
  });
  return message;
}

async function answer(context: TurnContext, outcome: Outcome): Promise<AdaptiveCard | string> {
  const result = cardFor(outcome);
  return "keep" in result ? keepCard(context, plainText(result.keep)) : result;
}

/** A confirm step's texts as the card carried them (shown back to the clicker only, as inert text runs). */
function asConfirm(value: unknown): ConfirmView | undefined {
  if (!value || typeof value !== "object") return undefined;
  const { title, text, yes, no } = value as Record<string, unknown>;
  const short = (item: unknown) => (typeof item === "string" ? item.slice(0, 300) : "");
  return { title: short(title), text: short(text), yes: short(yes) || "Yes", no: short(no) || "Cancel" };
}

/** Action.Execute from any card: a form's submit, or a button. */
export function register(app: Application<TurnState>, deps: TeamsListenerDeps): void {
  app.adaptiveCards.actionExecute<Record<string, unknown>>(/^ma_/, async (context, _state, data) => {
    const verb = String((context.activity.value as { action?: { verb?: string } } | undefined)?.action?.verb ?? "");
    const identity = teamsIdentity(context.activity);
    // A card acted on in the person's 1:1 chat names that chat: remembered, so what the action
    // owes them there (the requester's "received" card) can be sent even when no message of
    // theirs was stored before (a reference marked dead, a chat opened from a card).
    if (isPersonal(context.activity)) await deps.conversations.remember(context);
    const formId = formFromVerb(verb);
    if (formId) {
      const { state, ...values } = data;
      return answer(
        context,
        await submitForm(deps.interaction, {
          identity,
          platform: "teams",
          formId,
          state: typeof state === "string" ? state : "",
          values,
          // A resent invoke carries the same activity id: it returns the first request.
          idempotencyKey: `teams:activity:${context.activity.conversation.id}:${context.activity.id}`,
        }),
      );
    }
    const actionId = actionFromVerb(verb);
    if (!actionId) return renderCard(noticeView("This button is no longer valid."));
    if (actionId === "useTemplate") {
      // "Use" beside a saved-reply picker: the card comes back with its text box filled in.
      const { state, form, ...values } = data;
      const formId = FORM_IDS.find((id) => id === form) as FormId | undefined;
      if (!formId) return renderCard(noticeView("This button is no longer valid."));
      return answer(
        context,
        await useTemplate(deps.interaction, { identity, platform: "teams", formId, state: typeof state === "string" ? state : "", values }),
      );
    }
    const value = typeof data.value === "string" ? data.value : "";
    const confirm = asConfirm(data.confirm);
    // A button that asks first (Mark done): the first click only asks.
    if (confirm && data.confirmed !== true) return renderConfirmCard(verb, value, confirm);
    const outcome = await clickAction(deps.interaction, { identity, platform: "teams", actionId, value });
    if (outcome.kind === "done" && outcome.reminder) {
      const { card: reminder, confidential } = outcome.reminder;
      if (!confidential) return renderCard(reminder);
      // Case details go to the clicker's 1:1 chat; the reminder stays as it was.
      const personal = isPersonal(context.activity);
      if (personal) await context.sendActivity(cardActivity(outcome.notice));
      else await deps.conversations.sendPrivately(context, cardActivity(outcome.notice));
      return renderCard(withBanner(reminder, personal ? "The details are below." : "I sent the details to our private chat."));
    }
    return answer(context, outcome);
  });
}
