import type { FormView } from "../../src/chat/views.js";
import { addDays, dayInZone } from "../../src/core/dates.js";

/** A modal's `view.state.values` as Slack sends it, built from field values. */
export function stateValues(form: FormView, values: Record<string, unknown>) {
  const out: Record<string, Record<string, unknown>> = {};
  for (const field of form.fields) {
    const value = values[field.name];
    let entry: Record<string, unknown>;
    switch (field.kind) {
      case "select":
        entry = { type: "static_select", selected_option: value ? { value } : null };
        break;
      case "multiselect":
        entry = { type: "multi_static_select", selected_options: ((value as string[] | undefined) ?? []).map((item) => ({ value: item })) };
        break;
      case "date":
        entry = { type: "datepicker", selected_date: value ?? null };
        break;
      case "checkbox":
        entry = { type: "checkboxes", selected_options: value === true ? [{ value: "true" }] : [] };
        break;
      case "number":
        entry = { type: "number_input", value: value === undefined ? null : String(value) };
        break;
      case "email":
        entry = { type: "email_text_input", value: value ?? null };
        break;
      default:
        entry = { type: "plain_text_input", value: value ?? null };
    }
    out[field.name] = { [field.name]: entry };
  }
  return { values: out };
}

export function viewSubmission(options: {
  userId: string;
  callbackId: string;
  viewId: string;
  hash?: string;
  privateMetadata?: string;
  state: ReturnType<typeof stateValues>;
}) {
  return {
    type: "view_submission",
    team: { id: "T0TEAM", domain: "dau" },
    user: { id: options.userId, username: options.userId.toLowerCase(), name: options.userId.toLowerCase(), team_id: "T0TEAM" },
    api_app_id: "A0APP",
    token: "legacy",
    trigger_id: `trigger.${Math.random().toString(36).slice(2)}`,
    view: {
      id: options.viewId,
      team_id: "T0TEAM",
      type: "modal",
      callback_id: options.callbackId,
      private_metadata: options.privateMetadata ?? "",
      hash: options.hash ?? "hash-1",
      state: options.state,
      blocks: [],
      title: { type: "plain_text", text: "Mission Assistance" },
    },
  };
}

export function blockAction(options: {
  userId: string;
  actionId: string;
  value: string;
  responseUrl?: string;
  channelId?: string;
  messageTs?: string;
}) {
  return {
    type: "block_actions",
    team: { id: "T0TEAM", domain: "dau" },
    user: { id: options.userId, username: options.userId.toLowerCase(), name: options.userId.toLowerCase(), team_id: "T0TEAM" },
    api_app_id: "A0APP",
    token: "legacy",
    trigger_id: `trigger.${Math.random().toString(36).slice(2)}`,
    response_url: options.responseUrl,
    container: {
      type: "message",
      message_ts: options.messageTs ?? "1.0",
      channel_id: options.channelId ?? "C0TRIAGE",
      is_ephemeral: false,
    },
    channel: { id: options.channelId ?? "C0TRIAGE", name: "ma-triage" },
    message: { ts: options.messageTs ?? "1.0", text: "card", blocks: [] },
    actions: [
      {
        type: "button",
        action_id: options.actionId,
        block_id: "b1",
        value: options.value,
        text: { type: "plain_text", text: "x" },
        action_ts: "1.1",
      },
    ],
  };
}

/** A complete, valid request as a Slack modal would send it, starting 30 days from today. */
export function slackFormValues(): Record<string, unknown> {
  const start = addDays(dayInZone(new Date(), "America/New_York"), 30);
  return {
    organization: "PEO Aviation, International",
    component: "ARMY",
    program: "Utility helicopters for Bandaria",
    effortTypes: ["FMS", "IAC"],
    supportType: "WORKSHOP",
    lifecyclePhase: "LOA",
    relatedCases: "BN-B-SAA",
    problemStatement: "We need a workshop on LOA pricing and the case development timeline.",
    desiredOutcome: "",
    audienceSize: "25",
    preferredStart: start,
    preferredEnd: addDays(start, 2),
    deliveryMode: "ON_SITE",
    location: "Redstone Arsenal, AL",
    travelFunded: true,
    pocName: "Pat Quinn",
    pocEmail: "pat.quinn@army.mil",
  };
}
