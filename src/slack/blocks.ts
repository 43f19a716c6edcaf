import type { types } from "@slack/bolt";
import { plainText, segments } from "../chat/inert.js";
import type { FieldView, FormView, MessageView, ViewBlock } from "../chat/views.js";
import { actionIdOf, callbackIdOf, NEW_REQUEST_ACTION } from "./ids.js";

/**
 * Block Kit rendering: pure functions from the neutral views. Slack's limits are applied
 * here (text lengths, 10 fields a section, 24-character modal titles).
 */

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON; shapes checked by tests against Slack's limits.
export type Block = Record<string, any>;

const SECTION_TEXT_LIMIT = 3000;
const HEADER_LIMIT = 150;
const FIELD_LIMIT = 2000;
const TITLE_LIMIT = 24;

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** Slack reads `<…>` as mentions and links and `&` as an entity: escaped in all our text. */
const escapeEntities = (text: string) =>
  // Most text has nothing to escape: one scan instead of three replaces (every card's every field).
  ENTITIES.test(text) ? text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;") : text;
const ENTITIES = /[&<>]/;

/**
 * mrkdwn has no escape for emphasis marks, so in user text they become look-alikes
 * (`*` → `∗`, `~` → `∼`, `` ` `` → `ˋ`, and `_` next to a word boundary → `＿`): what
 * people typed stays readable but can never turn into formatting.
 */
function inertMrkdwn(text: string): string {
  if (!MARKDOWN.test(text)) return text;
  return escapeEntities(text)
    .replace(/\*/g, "∗")
    .replace(/~/g, "∼")
    .replace(/`/g, "ˋ")
    .replace(/(^|\W)_|_(?=\W|$)/g, (match) => match.replace("_", "＿"));
}

const MARKDOWN = /[&<>*~`_]/;

/**
 * Our markup (*bold*, `code`) passes; user spans (marked by the views) are made inert;
 * `<!channel>`, `<@U…>` and `<https://x|y>` are escaped everywhere.
 */
export function slackText(text: string): string {
  return segments(text)
    .map((segment) => (segment.user ? inertMrkdwn(segment.text) : escapeEntities(segment.text)))
    .join("");
}

/** verbatim: Slack does not turn URLs or channel names into links on its own. */
const mrkdwn = (text: string, limit = SECTION_TEXT_LIMIT) => ({ type: "mrkdwn", text: truncate(slackText(text), limit), verbatim: true });
/** plain_text is never parsed for mentions or links: only the marks are removed. */
const plain = (text: string, limit = HEADER_LIMIT) => ({ type: "plain_text", text: truncate(plainText(text), limit), emoji: true });

function renderBlock(block: ViewBlock): Block[] {
  switch (block.type) {
    case "header":
      return [{ type: "header", text: plain(block.text) }];
    case "text":
      return [{ type: "section", text: mrkdwn(block.text) }];
    case "context":
      return [{ type: "context", elements: [mrkdwn(block.text)] }];
    case "divider":
      return [{ type: "divider" }];
    case "fields": {
      const sections: Block[] = [];
      for (let start = 0; start < block.fields.length; start += 10) {
        sections.push({
          type: "section",
          fields: block.fields.slice(start, start + 10).map((field) => mrkdwn(`*${field.label}*\n${field.value}`, FIELD_LIMIT)),
        });
      }
      return sections;
    }
    case "actions":
      return [
        {
          type: "actions",
          elements: block.actions.map((action) => ({
            type: "button",
            action_id: actionIdOf(action.id),
            text: plain(action.label, 75),
            // Screen readers say this instead of the short text: "Accept MA-2026-0007".
            ...(action.description ? { accessibility_label: truncate(plainText(action.description), 75) } : {}),
            value: action.value,
            ...(action.style ? { style: action.style } : {}),
            // Slack asks before the click is sent: nothing changes until "yes".
            ...(action.confirm
              ? {
                  confirm: {
                    title: plain(action.confirm.title, 100),
                    text: plain(action.confirm.text, 300),
                    confirm: plain(action.confirm.yes, 30),
                    deny: plain(action.confirm.no, 30),
                  },
                }
              : {}),
          })),
        },
      ];
  }
}

/** A message: the top-level text is what notifications show, so it is escaped like the blocks. */
export function renderMessage(view: MessageView): { text: string; blocks: Block[] } {
  return { text: truncate(slackText(view.text), 3000), blocks: view.blocks.flatMap(renderBlock).slice(0, 50) };
}

/** App Home: the home view's blocks, with a "New request" button beside the introduction. */
export function renderHome(view: MessageView): types.HomeView {
  const blocks = renderMessage(view).blocks;
  const intro = blocks.findIndex((block) => block.type === "section");
  if (intro >= 0) {
    blocks[intro] = {
      ...blocks[intro],
      accessory: {
        type: "button",
        action_id: NEW_REQUEST_ACTION,
        style: "primary",
        text: plain("New request"),
        accessibility_label: "New request: open the Mission Assistance request form",
      },
    };
  }
  return { type: "home", blocks: blocks.slice(0, 100) } as types.HomeView;
}

function option(value: string, label: string): Block {
  return { text: plain(label, 75), value };
}

/** The element's action_id: a dispatching select acts by its action; a filled box gets a new id so Slack shows the new text. */
function elementId(field: FieldView): string {
  if (field.dispatch) return actionIdOf(field.dispatch);
  return field.revision ? `${field.name}.${field.revision}` : field.name;
}

function renderElement(field: FieldView): Block {
  const base = { action_id: elementId(field) };
  const placeholder = field.placeholder ? { placeholder: plain(field.placeholder) } : {};
  const text = typeof field.value === "string" ? field.value : undefined;
  switch (field.kind) {
    case "text":
    case "textarea":
      return {
        type: "plain_text_input",
        ...base,
        ...placeholder,
        multiline: field.kind === "textarea",
        ...(field.maxLength ? { max_length: field.maxLength } : {}),
        ...(text ? { initial_value: text } : {}),
      };
    case "email":
      return { type: "email_text_input", ...base, ...placeholder, ...(text ? { initial_value: text } : {}) };
    case "number":
      return { type: "number_input", ...base, is_decimal_allowed: false, ...(text && /^\d+$/.test(text) ? { initial_value: text } : {}) };
    case "date":
      return { type: "datepicker", ...base, ...(text && /^\d{4}-\d{2}-\d{2}$/.test(text) ? { initial_date: text } : {}) };
    case "select": {
      const options = (field.options ?? []).map((item) => option(item.value, item.label));
      const initial = options.find((item) => item.value === text);
      return { type: "static_select", ...base, ...placeholder, options, ...(initial ? { initial_option: initial } : {}) };
    }
    case "multiselect": {
      const options = (field.options ?? []).map((item) => option(item.value, item.label));
      const chosen = Array.isArray(field.value) ? field.value : [];
      const initial = options.filter((item) => chosen.includes(item.value));
      return { type: "multi_static_select", ...base, options, ...(initial.length > 0 ? { initial_options: initial } : {}) };
    }
    case "checkbox": {
      const only = option("true", field.label);
      return { type: "checkboxes", ...base, options: [only], ...(field.value === true ? { initial_options: [only] } : {}) };
    }
  }
}

/**
 * A form as a modal: each field an input block whose block_id is the field name, so the
 * core's field errors map straight onto `response_action: "errors"`.
 */
export function renderModal(form: FormView): types.ModalView {
  const blocks: Block[] = [];
  if (form.notice) blocks.push({ type: "section", text: mrkdwn(`:warning: ${form.notice}`) });
  if (form.intro) blocks.push({ type: "context", elements: [mrkdwn(form.intro)] });
  for (const field of form.fields) {
    blocks.push({
      type: "input",
      block_id: field.name,
      label: plain(field.kind === "checkbox" ? (field.groupLabel ?? field.label) : field.label, 2000),
      optional: !field.required,
      ...(field.dispatch ? { dispatch_action: true } : {}),
      element: renderElement(field),
      ...(field.hint ? { hint: plain(field.hint, 2000) } : {}),
    });
  }
  return {
    type: "modal",
    callback_id: callbackIdOf(form.id),
    title: plain(form.title, TITLE_LIMIT),
    submit: plain(form.submitLabel, TITLE_LIMIT),
    close: plain("Cancel", TITLE_LIMIT),
    private_metadata: form.state,
    blocks,
  } as types.ModalView;
}

/** A modal that only says something (confirmation, "saving…"). */
export function renderNoticeModal(title: string, view: MessageView): types.ModalView {
  return {
    type: "modal",
    title: plain(title, TITLE_LIMIT),
    close: plain("Close", TITLE_LIMIT),
    blocks: renderMessage(view).blocks,
  } as types.ModalView;
}

interface StateValue {
  type: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: Array<{ value: string }>;
  selected_date?: string | null;
}

/** Reads a submitted modal's values back into field name → value. */
export function readModalValues(
  state: { values?: Record<string, Record<string, StateValue>> } | undefined,
): Record<string, string | string[] | boolean> {
  const out: Record<string, string | string[] | boolean> = {};
  for (const [blockId, actions] of Object.entries(state?.values ?? {})) {
    for (const value of Object.values(actions)) {
      if (value.type === "checkboxes") out[blockId] = (value.selected_options ?? []).length > 0;
      else if (value.type === "multi_static_select") out[blockId] = (value.selected_options ?? []).map((item) => item.value);
      else if (value.type === "static_select") out[blockId] = value.selected_option?.value ?? "";
      else if (value.type === "datepicker") out[blockId] = value.selected_date ?? "";
      else out[blockId] = value.value ?? "";
    }
  }
  return out;
}
