import { type Activity, CardFactory, MessageFactory } from "botbuilder";
import { plainText } from "../chat/inert.js";
import type { FieldView, FormView } from "../chat/views.js";
import { type AdaptiveCard, type CardElement, card, heading, richText } from "./card-text.js";
import { actionVerbOf, formVerbOf } from "./ids.js";

/**
 * Form cards: inputs named by field, each with a visible label that says whether it is
 * required, the field's hint (its limit) and its error beneath it.
 */

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

/**
 * The visible label. Teams marks a client-checked required input itself (and tells screen
 * readers); a required input the server alone checks, and every optional one, say so in words.
 */
function labelOf(field: FieldView, clientRequired: boolean): string {
  const label = plainText(field.groupLabel ?? field.label);
  if (clientRequired || /\((required|optional)\b/i.test(label)) return label;
  return `${label} (${field.required ? "required" : "optional"})`;
}

function renderInput(field: FieldView, validateOnClient: boolean): CardElement {
  const required = field.required && validateOnClient;
  const common = {
    id: field.name,
    label: labelOf(field, required),
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
        title: plainText(field.label),
        valueOn: "true",
        valueOff: "false",
        value: value ?? "false",
      };
    default:
      // No maxLength: Teams would cut a longer paste silently in the client. The hint says
      // the limit before anyone pastes, and the server refuses a longer value naming it.
      return {
        type: "Input.Text",
        ...common,
        isMultiline: field.kind === "textarea",
        ...(field.kind === "email" ? { style: "Email" } : {}),
        ...(field.placeholder ? { placeholder: field.placeholder } : {}),
        ...(value ? { value } : {}),
      };
  }
}

/** A form card: inputs named by field, errors beneath them, one Action.Execute to submit. */
export function renderFormCard(form: FormView): AdaptiveCard {
  const body: CardElement[] = [...heading(form.title)];
  if (form.notice) body.push(richText(`Warning: ${form.notice}`, { color: "Attention", weight: "Bolder" }));
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
        actions: [
          {
            type: "Action.Execute",
            title: "Use",
            tooltip: `Use the chosen ${plainText(field.label).toLowerCase()}`,
            verb: actionVerbOf(field.dispatch),
            data: { state: form.state, form: form.id },
          },
        ],
      });
    }
    // The hint stays beside an error: the limit is what the person needs to fix a long text.
    if (field.hint) body.push(richText(field.hint, { isSubtle: true, size: "Small" }, { spacing: "None" }));
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
    tooltip: "Cancel: leave the request unchanged",
    verb: actionVerbOf("cancel"),
    data: { value: form.state },
    associatedInputs: "none",
  };
  return card(body, form.state ? [submit, cancel] : [submit], form.title);
}
