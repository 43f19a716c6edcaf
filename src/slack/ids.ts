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

/** Bot scopes actually used: commands, DMs and posts, App Home needs none beyond these. */
export const BOT_SCOPES = ["commands", "chat:write", "im:write"] as const;
