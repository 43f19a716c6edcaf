import { ACTION_IDS, type ActionId, FORM_IDS, type FormId } from "../chat/views.js";

/**
 * Every Slack id in one place: the slash command, modal callback ids and button action
 * ids. The manifest test checks manifests/slack against these.
 */
export const SLASH_COMMAND = "/ma";
export const EVENTS_PATH = "/slack/events";

/** Button on App Home that opens the request form. */
export const NEW_REQUEST_ACTION = "ma_new_request";

export const actionIdOf = (id: ActionId) => `ma_${id}`;
export const ACTION_ID_LIST = ACTION_IDS.map(actionIdOf);

export function actionFromId(actionId: string): ActionId | undefined {
  return ACTION_IDS.find((id) => actionIdOf(id) === actionId);
}

export const callbackIdOf = (id: FormId) => `ma_form_${id}`;
export const CALLBACK_ID_LIST = FORM_IDS.map(callbackIdOf);

export function formFromCallbackId(callbackId: string): FormId | undefined {
  return FORM_IDS.find((id) => callbackIdOf(id) === callbackId);
}

/** The events the app subscribes to. */
export const BOT_EVENTS = ["app_home_opened"] as const;

/** Bot scopes actually used: commands, DMs and posts, App Home needs none beyond these. */
export const BOT_SCOPES = ["commands", "chat:write", "im:write"] as const;
