import { ACTION_IDS, actionOfWireId, FORM_IDS, formOfWireId, wireIdOfAction, wireIdOfForm } from "../chat/views.js";

/**
 * Every Slack id in one place: the slash command, modal callback ids and button action
 * ids. The manifest test checks manifests/slack against these.
 */
export const SLASH_COMMAND = "/ma";
export const EVENTS_PATH = "/slack/events";

/** Button on App Home that opens the request form. */
export const NEW_REQUEST_ACTION = "ma_new_request";

/** action_id and callback_id are the shared wire ids: `ma_<action>`, `ma_form_<form>`. */
export const actionIdOf = wireIdOfAction;
export const ACTION_ID_LIST = ACTION_IDS.map(actionIdOf);
export const actionFromId = actionOfWireId;
export const callbackIdOf = wireIdOfForm;
export const CALLBACK_ID_LIST = FORM_IDS.map(callbackIdOf);
export const formFromCallbackId = formOfWireId;

/** The events the app subscribes to. */
export const BOT_EVENTS = ["app_home_opened"] as const;

/**
 * Every bot scope the app asks for and the call that needs it: the manifest, the doctor's
 * scope check and the README's list follow this (tests compare them). App Home needs none.
 */
export const BOT_SCOPE_REASONS = {
  commands: "the `/ma` slash command",
  "chat:write": "posting and updating triage cards, notices, reminders and digests (`chat.postMessage`, `chat.update`)",
  "im:write": "opening a direct message with a requester or faculty member (`conversations.open`)",
  "channels:read":
    "checking that the bot is a member of a public triage channel (`conversations.info`, in `doctor` and the daily self-check)",
  "groups:read": "the same check for a private triage channel",
  "users:read":
    "each person's time zone (`users.info`), so dates and times are shown in it; read once a week per person, never before an answer",
  "users:read.email":
    "each person's verified address (`users.info`), so someone who has written to the mailbox sees their mailed requests in `/ma list` too",
} as const;

export const BOT_SCOPES = Object.keys(BOT_SCOPE_REASONS) as Array<keyof typeof BOT_SCOPE_REASONS>;
