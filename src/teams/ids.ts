import { actionOfWireId, FORM_IDS, formOfWireId, wireIdOfAction, wireIdOfForm } from "../chat/views.js";

/**
 * Every Teams id in one place: card verbs and the bot's command list. The manifest test
 * checks manifests/teams against these.
 */
export const MESSAGES_PATH = "/api/messages";

/** Card verbs are the shared wire ids: `ma_<action>` for buttons, `ma_form_<form>` for form submits. */
export const actionVerbOf = wireIdOfAction;
export const actionFromVerb = actionOfWireId;
export const formVerbOf = wireIdOfForm;
export const formFromVerb = formOfWireId;
export const FORM_VERBS = FORM_IDS.map(formVerbOf);

/** Adaptive Card schema version: Action.Execute (universal actions) needs 1.4+, Teams renders 1.5. */
export const CARD_VERSION = "1.5";
