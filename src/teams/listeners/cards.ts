import type { Application, TurnState } from "@microsoft/teams-ai";
import { clickAction } from "../../chat/interactions/click-action.js";
import { type Outcome, outcomeMessage } from "../../chat/interactions/outcome.js";
import { submitForm } from "../../chat/interactions/submit-form.js";
import { noticeView, withBanner } from "../../chat/present.js";
import { type AdaptiveCard, renderCard, renderFormCard } from "../cards.js";
import { teamsIdentity } from "../conversations.js";
import { actionFromVerb, formFromVerb } from "../ids.js";
import type { TeamsListenerDeps } from "./deps.js";

/** The card that replaces the one the person acted on (universal actions: replace for the interactor). */
function cardFor(outcome: Outcome): AdaptiveCard {
  switch (outcome.kind) {
    case "invalid":
    case "form":
      return renderFormCard(outcome.form);
    case "done":
      return renderCard(outcome.card ?? outcome.notice);
    case "failed":
      return outcome.form ? renderFormCard(outcome.form) : renderCard(withBanner(noticeView("Nothing was changed."), outcome.notice.text));
    case "stale":
      return renderCard(outcomeMessage(outcome));
    case "refused":
      return renderCard(withBanner(noticeView("Nothing was changed."), outcome.notice.text));
  }
}

/** Action.Execute from any card: a form's submit, or a button. */
export function register(app: Application<TurnState>, deps: TeamsListenerDeps): void {
  app.adaptiveCards.actionExecute<Record<string, unknown>>(/^ma_/, async (context, _state, data) => {
    const verb = String((context.activity.value as { action?: { verb?: string } } | undefined)?.action?.verb ?? "");
    const identity = teamsIdentity(context.activity);
    const formId = formFromVerb(verb);
    if (formId) {
      const { state, ...values } = data;
      return cardFor(
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
    const value = typeof data.value === "string" ? data.value : "";
    return cardFor(await clickAction(deps.interaction, { identity, platform: "teams", actionId, value }));
  });
}
