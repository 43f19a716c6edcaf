import { CUI_BANNER } from "../chat/present.js";
import type { FieldView, FormView, MessageView, ViewBlock } from "../chat/views.js";
import { actionVerbOf, CARD_VERSION, formVerbOf } from "./ids.js";

/**
 * Adaptive Card rendering: pure functions from the neutral views. Forms keep the user's
 * values and show each error under its input, since card validation is client-side only.
 */

// biome-ignore lint/suspicious/noExplicitAny: Adaptive Card JSON.
export type CardElement = Record<string, any>;

export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: string;
  version: string;
  body: CardElement[];
  actions?: CardElement[];
}

/** Our text marks `*bold*`; Teams' markdown wants `**bold**`. */
function markdown(text: string): string {
  return text.replace(/(^|[\s(])\*([^*\n]+)\*(?=[\s.,:;)!?]|$)/g, "$1**$2**");
}

function renderBlock(block: ViewBlock): CardElement[] {
  switch (block.type) {
    case "header":
      return [{ type: "TextBlock", text: block.text, size: "Large", weight: "Bolder", wrap: true }];
    case "text":
      // Card markdown joins single line breaks into one paragraph: one TextBlock a line.
      return block.text.split("\n").map((line, index) => ({
        type: "TextBlock",
        text: markdown(line),
        wrap: true,
        ...(index > 0 ? { spacing: "None" } : {}),
      }));
    case "context":
      return [{ type: "TextBlock", text: block.text, isSubtle: true, size: "Small", wrap: true }];
    case "divider":
      return [{ type: "Container", separator: true, items: [] }];
    case "fields":
      return [{ type: "FactSet", facts: block.fields.map((field) => ({ title: field.label, value: field.value })) }];
    case "actions":
      return [
        {
          type: "ActionSet",
          actions: block.actions.map((action) => ({
            type: "Action.Execute",
            title: action.label,
            verb: actionVerbOf(action.id),
            data: { value: action.value },
            ...(action.style === "primary" ? { style: "positive" } : action.style === "danger" ? { style: "destructive" } : {}),
          })),
        },
      ];
  }
}

function card(body: CardElement[], actions?: CardElement[]): AdaptiveCard {
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: CARD_VERSION,
    body,
    ...(actions ? { actions } : {}),
  };
}

export function renderCard(view: MessageView): AdaptiveCard {
  if (view.marking !== "CUI") return card(view.blocks.flatMap(renderBlock));
  // The CUI marking leads the card in bold, whether or not the view put a banner first.
  const [first, ...rest] = view.blocks;
  const blocks = first?.type === "context" && first.text === CUI_BANNER ? rest : view.blocks;
  return card([{ type: "TextBlock", text: CUI_BANNER, weight: "Bolder", color: "Attention", wrap: true }, ...blocks.flatMap(renderBlock)]);
}

function stringValue(field: FieldView): string | undefined {
  if (Array.isArray(field.value)) return field.value.join(",");
  if (typeof field.value === "boolean") return field.value ? "true" : "false";
  return field.value;
}

function renderInput(field: FieldView): CardElement {
  const common = {
    id: field.name,
    label: field.label,
    isRequired: field.required,
    ...(field.required ? { errorMessage: `${field.label} is required` } : {}),
  };
  const value = stringValue(field);
  switch (field.kind) {
    case "select":
    case "multiselect":
      return {
        type: "Input.ChoiceSet",
        ...common,
        style: "compact",
        isMultiSelect: field.kind === "multiselect",
        choices: (field.options ?? []).map((option) => ({ title: option.label, value: option.value })),
        ...(value ? { value } : {}),
      };
    case "date":
      return { type: "Input.Date", ...common, ...(value ? { value } : {}) };
    case "number":
      return { type: "Input.Number", ...common, min: 1, ...(value && /^\d+$/.test(value) ? { value: Number(value) } : {}) };
    case "checkbox":
      return {
        type: "Input.Toggle",
        ...common,
        label: undefined,
        title: field.label,
        valueOn: "true",
        valueOff: "false",
        value: value ?? "false",
      };
    default:
      return {
        type: "Input.Text",
        ...common,
        isMultiline: field.kind === "textarea",
        ...(field.kind === "email" ? { style: "Email" } : {}),
        ...(field.maxLength ? { maxLength: field.maxLength } : {}),
        ...(field.placeholder ? { placeholder: field.placeholder } : {}),
        ...(value ? { value } : {}),
      };
  }
}

/** A form card: inputs named by field, errors beneath them, one Action.Execute to submit. */
export function renderFormCard(form: FormView): AdaptiveCard {
  const body: CardElement[] = [{ type: "TextBlock", text: form.title, size: "Large", weight: "Bolder", wrap: true }];
  if (form.notice) body.push({ type: "TextBlock", text: form.notice, color: "Attention", weight: "Bolder", wrap: true });
  if (form.intro) body.push({ type: "TextBlock", text: form.intro, isSubtle: true, wrap: true });
  for (const field of form.fields) {
    body.push(renderInput(field));
    if (field.hint && !field.error)
      body.push({ type: "TextBlock", text: field.hint, isSubtle: true, size: "Small", wrap: true, spacing: "None" });
    if (field.error) body.push({ type: "TextBlock", text: field.error, color: "Attention", size: "Small", wrap: true, spacing: "None" });
  }
  return card(body, [
    { type: "Action.Execute", title: form.submitLabel, verb: formVerbOf(form.id), data: { state: form.state }, style: "positive" },
  ]);
}
