import { ACTION_IDS, type ActionId, FORM_IDS, type FormId } from "../chat/views.js";

/**
 * Every Teams id in one place: card verbs and the bot's command list. The manifest test
 * checks manifests/teams against these.
 */
export const MESSAGES_PATH = "/api/messages";

export const actionVerbOf = (id: ActionId) => `ma_${id}`;
export const ACTION_VERBS = ACTION_IDS.map(actionVerbOf);
export function actionFromVerb(verb: string): ActionId | undefined {
  return ACTION_IDS.find((id) => actionVerbOf(id) === verb);
}

export const formVerbOf = (id: FormId) => `ma_form_${id}`;
export const FORM_VERBS = FORM_IDS.map(formVerbOf);
export function formFromVerb(verb: string): FormId | undefined {
  return FORM_IDS.find((id) => formVerbOf(id) === verb);
}

/** Adaptive Card schema version: Action.Execute (universal actions) needs 1.4+, Teams renders 1.5. */
export const CARD_VERSION = "1.5";
