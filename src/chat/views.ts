/**
 * Neutral view models: what an answer shows, with no platform in sight. The Slack and
 * Teams renderers are pure functions of these (Block Kit / Adaptive Cards).
 */

export type Visibility = "private" | "channel";

/** Text may use *bold* and line breaks; renderers translate both. */
export type ViewBlock =
  | { type: "header"; text: string }
  | { type: "text"; text: string }
  | { type: "fields"; fields: Array<{ label: string; value: string }> }
  | { type: "context"; text: string }
  | { type: "divider" }
  | { type: "actions"; actions: ActionView[] };

export interface ActionView {
  /** One of ACTION_IDS: adapters map it to their own action ids / verbs. */
  id: ActionId;
  label: string;
  /**
   * What the button does, said in full for screen readers ("Accept MA-2026-0007"): Slack's
   * `accessibility_label`, Teams' `tooltip`. It starts with the label, so the name people
   * see is the name they can speak (WCAG 2.5.3). Required where the label is short.
   */
  description?: string;
  style?: "primary" | "danger";
  /** Opaque to the renderer; comes back with the click. */
  value: string;
  /** Asked before the click counts (Slack: a confirm dialog; Teams: a confirm step on the card). */
  confirm?: ConfirmView;
}

export interface ConfirmView {
  title: string;
  text: string;
  yes: string;
  no: string;
}

export interface MessageView {
  /** Plain-text summary: notifications, fallbacks and screen readers. */
  text: string;
  /** Case data: marked CUI at the top, answered privately. */
  marking?: "CUI";
  blocks: ViewBlock[];
}

export type FieldKind = "text" | "textarea" | "select" | "multiselect" | "date" | "number" | "checkbox" | "email";

export interface FieldView {
  name: string;
  label: string;
  /** A checkbox's heading above it ("Travel funding"); `label` is the sentence beside the box. */
  groupLabel?: string;
  kind: FieldKind;
  required: boolean;
  hint?: string;
  placeholder?: string;
  options?: Array<{ value: string; label: string }>;
  /** The current value: what the user typed, kept across validation errors. */
  value?: string | string[] | boolean;
  error?: string;
  maxLength?: number;
  /**
   * Choosing a value acts at once, before the form is submitted (a saved reply fills the
   * text box): Slack dispatches the select, Teams shows a button beside it.
   */
  dispatch?: ActionId;
  /**
   * Changes when the server sets this field's value on a form already open: Slack keeps
   * what is in an input across views.update unless its element's id changes.
   */
  revision?: string;
}

export interface FormView {
  /** One of FORM_IDS. */
  id: FormId;
  title: string;
  submitLabel: string;
  /** Shown above the fields. */
  intro?: string;
  fields: FieldView[];
  /** Carried through the platform and back with the submission (request id, version). */
  state: string;
  /** A message above the form, e.g. "could not save, your input is kept". */
  notice?: string;
}

/** Buttons on cards and messages. */
export const ACTION_IDS = [
  "accept",
  "askInfo",
  "decline",
  "schedule",
  "deliver",
  "answer",
  "edit",
  "withdraw",
  "milestoneDone",
  "reminderSnooze",
  /** A channel reminder's "Details privately": the case, answered to the clicker only. */
  "reminderDetails",
  /** "Undo" on a reminder marked done (for 10 minutes). */
  "milestoneUndo",
  /** Teams: "Cancel" on the Mark-done confirm step brings the reminder back. */
  "reminderBack",
  /** Leaves a move's form without changing anything (Teams cards; Slack modals have Close). */
  "cancel",
  /** Fills a move's text box with the chosen saved reply (Ask for information, Decline). */
  "useTemplate",
  /** A rating button on the feedback survey: opens the survey form with it chosen. */
  "surveyRate",
  /** New dates for a scheduled request (faculty). */
  "reschedule",
] as const;
export type ActionId = (typeof ACTION_IDS)[number];

/** Forms (modals / form cards). */
export const FORM_IDS = [
  "request",
  "accept",
  "askInfo",
  "decline",
  "schedule",
  "deliver",
  "answer",
  "withdraw",
  "reschedule",
  "survey",
] as const;
export type FormId = (typeof FORM_IDS)[number];
/** The forms of workflow moves (the request form and the survey are not moves). */
export type MoveFormId = Exclude<FormId, "request" | "survey">;

/** The payload a request button carries: which request, at which version. */
export interface RequestActionValue {
  requestId: string;
  version: number;
}

export function encodeRequestAction(value: RequestActionValue): string {
  return JSON.stringify({ r: value.requestId, v: value.version });
}

/** Our buttons' values are short JSON; anything longer is not ours and is not parsed. */
const MAX_ACTION_VALUE = 500;

export function decodeRequestAction(text: string): RequestActionValue | undefined {
  // A new request's form carries no state: no JSON.parse to throw (and build an error) for it.
  if (text.length > MAX_ACTION_VALUE || !text.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(text) as { r?: unknown; v?: unknown };
    if (typeof parsed.r === "string" && typeof parsed.v === "number") return { requestId: parsed.r, version: parsed.v };
  } catch {
    // Not ours: fall through.
  }
  return undefined;
}

/** The payload of a reminder's buttons: the milestone (if any) and the outbox row. */
export interface ReminderActionValue {
  milestoneId?: string;
  reminderId: string;
}

export function encodeReminderAction(value: ReminderActionValue): string {
  return JSON.stringify({ m: value.milestoneId, o: value.reminderId });
}

export function decodeReminderAction(text: string): ReminderActionValue | undefined {
  if (text.length > MAX_ACTION_VALUE) return undefined;
  try {
    const parsed = JSON.parse(text) as { m?: unknown; o?: unknown };
    if (typeof parsed.o === "string") return { reminderId: parsed.o, milestoneId: typeof parsed.m === "string" ? parsed.m : undefined };
  } catch {
    // Not ours: fall through.
  }
  return undefined;
}

/**
 * The wire ids of buttons and forms, the same on both platforms (Slack action_id and
 * callback_id, Teams Action.Execute verb): `ma_<action>` and `ma_form_<form>`.
 */
export const wireIdOfAction = (id: ActionId) => `ma_${id}`;
export const wireIdOfForm = (id: FormId) => `ma_form_${id}`;
export const actionOfWireId = (wireId: string): ActionId | undefined => ACTION_IDS.find((id) => wireIdOfAction(id) === wireId);
export const formOfWireId = (wireId: string): FormId | undefined => FORM_IDS.find((id) => wireIdOfForm(id) === wireId);
