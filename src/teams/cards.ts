import { type Activity, CardFactory, MessageFactory } from "botbuilder";
import { plainText } from "../chat/inert.js";
import { CUI_BANNER } from "../chat/present-cases.js";
import type { ConfirmView, MessageView, ViewBlock } from "../chat/views.js";
import { type AdaptiveCard, type CardElement, card, heading, richText } from "./card-text.js";
import { actionVerbOf } from "./ids.js";

export type { AdaptiveCard, CardElement } from "./card-text.js";
export { formActivity, renderFormCard } from "./form-cards.js";

/**
 * Adaptive Card rendering: pure functions from the neutral views. Forms keep the user's
 * values and show each error under its input, since card validation is client-side only.
 */

function renderBlock(block: ViewBlock): CardElement[] {
  switch (block.type) {
    case "header":
      return heading(block.text);
    case "text":
      return block.text.split("\n").map((line, index) => richText(line, {}, index > 0 ? { spacing: "None" } : {}));
    case "context":
      return [richText(block.text, { isSubtle: true, size: "Small" })];
    case "divider":
      return [{ type: "Container", separator: true, items: [] }];
    case "fields":
      // Fact values are parsed as markdown: each fact is a line of runs instead.
      return block.fields.map((field, index) => richText(`*${field.label}:* ${field.value}`, {}, index > 0 ? { spacing: "None" } : {}));
    case "actions":
      return [
        {
          type: "ActionSet",
          actions: block.actions.map((action) => ({
            type: "Action.Execute",
            title: action.label,
            // Said by screen readers and shown on hover: "Accept MA-2026-0007".
            ...(action.description ? { tooltip: plainText(action.description) } : {}),
            verb: actionVerbOf(action.id),
            // A button that asks first carries its question: the click brings the confirm step (renderConfirmCard).
            data: { value: action.value, ...(action.confirm ? { confirm: action.confirm } : {}) },
            ...(action.style === "primary" ? { style: "positive" } : action.style === "danger" ? { style: "destructive" } : {}),
          })),
        },
      ];
  }
}

/** A message card; `speak` is the view's summary, so a notice is read out as one sentence. */
export function renderCard(view: MessageView): AdaptiveCard {
  if (view.marking !== "CUI") return card(view.blocks.flatMap(renderBlock), undefined, view.text);
  // The CUI marking leads the card in bold, whether or not the view put a banner first.
  const [first, ...rest] = view.blocks;
  const blocks = first?.type === "context" && first.text === CUI_BANNER ? rest : view.blocks;
  return card(
    [{ type: "TextBlock", text: CUI_BANNER, weight: "Bolder", color: "Attention", wrap: true }, ...blocks.flatMap(renderBlock)],
    undefined,
    view.text,
  );
}

/** A message carrying one card; the summary is what notifications show. */
export function cardActivity(view: MessageView): Partial<Activity> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(renderCard(view)));
  activity.summary = plainText(view.text);
  return activity;
}

/**
 * The confirm step of a button that asks first (Mark done): its question, "yes" sending the
 * same verb and value again as confirmed, "no" going back to the reminder (no inputs to
 * validate on either).
 */
export function renderConfirmCard(verb: string, value: string, confirm: ConfirmView): AdaptiveCard {
  return card(
    [...heading(confirm.title, "Medium"), richText(confirm.text)],
    [
      { type: "Action.Execute", title: confirm.yes, verb, data: { value, confirmed: true }, style: "positive", associatedInputs: "none" },
      { type: "Action.Execute", title: confirm.no, verb: actionVerbOf("reminderBack"), data: { value }, associatedInputs: "none" },
    ],
    `${confirm.title} ${confirm.text}`,
  );
}
