import { type Activity, CardFactory, MessageFactory } from "botbuilder";
import { plainText, segments } from "../chat/inert.js";
import { CUI_BANNER } from "../chat/present-cases.js";
import type { ConfirmView, FieldView, FormView, MessageView, ViewBlock } from "../chat/views.js";
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

/**
 * One line of view text as text runs. Card markdown would turn user text into links,
 * images and emphasis, and TextRun text is never parsed as markdown: so every line is a
 * RichTextBlock whose runs carry our own *bold* and `code` as run styles, and user spans
 * (marked by the views) literally.
 */
function runs(line: string, style: CardElement = {}): CardElement[] {
  const out: CardElement[] = [];
  let bold = false;
  let code = false;
  for (const segment of segments(line)) {
    if (segment.user) {
      out.push({ type: "TextRun", text: segment.text, ...style, ...(bold ? { weight: "Bolder" } : {}) });
      continue;
    }
    // Our markup: * toggles bold, ` toggles monospace; the text between is one run.
    for (const piece of segment.text.split(/([*`])/)) {
      if (piece === "*") bold = !bold;
      else if (piece === "`") code = !code;
      else if (piece !== "")
        out.push({
          type: "TextRun",
          text: piece,
          ...style,
          ...(bold ? { weight: "Bolder" } : {}),
          ...(code ? { fontType: "Monospace" } : {}),
        });
    }
  }
  return out;
}

function richText(line: string, style: CardElement = {}, extra: CardElement = {}): CardElement {
  return { type: "RichTextBlock", inlines: runs(line, style), ...extra };
}

function renderBlock(block: ViewBlock): CardElement[] {
  switch (block.type) {
    case "header":
      return [richText(block.text, { size: "Large", weight: "Bolder" })];
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
            verb: actionVerbOf(action.id),
            // A button that asks first carries its question: the click brings the confirm step (renderConfirmCard).
            data: { value: action.value, ...(action.confirm ? { confirm: action.confirm } : {}) },
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

/** A message carrying one card; the summary is what notifications show. */
export function cardActivity(view: MessageView): Partial<Activity> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(renderCard(view)));
  activity.summary = plainText(view.text);
  return activity;
}

export function formActivity(form: FormView): Partial<Activity> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(renderFormCard(form)));
  activity.summary = plainText(form.title);
  return activity;
}

function stringValue(field: FieldView): string | undefined {
  if (Array.isArray(field.value)) return field.value.join(",");
  if (typeof field.value === "boolean") return field.value ? "true" : "false";
  return field.value;
}

function renderInput(field: FieldView, validateOnClient: boolean): CardElement {
  const required = field.required && validateOnClient;
  const common = {
    id: field.name,
    label: plainText(field.groupLabel ?? field.label),
    isRequired: required,
    ...(required ? { errorMessage: `${field.label} is required` } : {}),
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
        choices: (field.options ?? []).map((option) => ({ title: plainText(option.label), value: option.value })),
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
        label: field.groupLabel ? plainText(field.groupLabel) : undefined,
        title: plainText(field.label),
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

/**
 * The confirm step of a button that asks first (Mark done): its question, "yes" sending the
 * same verb and value again as confirmed, "no" going back to the reminder (no inputs to
 * validate on either).
 */
export function renderConfirmCard(verb: string, value: string, confirm: ConfirmView): AdaptiveCard {
  return card(
    [richText(confirm.title, { size: "Medium", weight: "Bolder" }), richText(confirm.text)],
    [
      { type: "Action.Execute", title: confirm.yes, verb, data: { value, confirmed: true }, style: "positive", associatedInputs: "none" },
      { type: "Action.Execute", title: confirm.no, verb: actionVerbOf("reminderBack"), data: { value }, associatedInputs: "none" },
    ],
  );
}

/** A form card: inputs named by field, errors beneath them, one Action.Execute to submit. */
export function renderFormCard(form: FormView): AdaptiveCard {
  const body: CardElement[] = [richText(form.title, { size: "Large", weight: "Bolder" })];
  if (form.notice) body.push(richText(form.notice, { color: "Attention", weight: "Bolder" }));
  for (const line of (form.intro ?? "").split("\n").filter(Boolean)) body.push(richText(line, { isSubtle: true }));
  // A card checks required inputs before any button sends it: a "Use" button must work on
  // a form not filled in yet, so such forms are checked by the server only (as every form is).
  const validateOnClient = !form.fields.some((field) => field.dispatch);
  for (const field of form.fields) {
    body.push(renderInput(field, validateOnClient));
    if (field.dispatch) {
      body.push({
        type: "ActionSet",
        spacing: "Small",
        actions: [{ type: "Action.Execute", title: "Use", verb: actionVerbOf(field.dispatch), data: { state: form.state, form: form.id } }],
      });
    }
    if (field.hint && !field.error) body.push(richText(field.hint, { isSubtle: true, size: "Small" }, { spacing: "None" }));
    if (field.error) body.push(richText(field.error, { color: "Attention", size: "Small" }, { spacing: "None" }));
  }
  const submit = {
    type: "Action.Execute",
    title: form.submitLabel,
    verb: formVerbOf(form.id),
    data: { state: form.state },
    style: "positive",
  };
  // A move's form replaced the request's card: Cancel brings the card back unchanged. It
  // sends no inputs, so the form's own required fields cannot block it.
  const cancel = {
    type: "Action.Execute",
    title: "Cancel",
    verb: actionVerbOf("cancel"),
    data: { value: form.state },
    associatedInputs: "none",
  };
  return card(body, form.state ? [submit, cancel] : [submit]);
}
