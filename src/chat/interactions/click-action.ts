import type { Actor, Platform } from "../../core/model.js";
import type { IdentityInfo } from "../../core/ports.js";
import { checkMove } from "../../core/requests/move-request.js";
import { MOVE_RULES, type Move, type MoveKind } from "../../core/requests/workflow.js";
import { answerError } from "../errors.js";
import { requestFormView } from "../forms.js";
import { noticeView } from "../present.js";
import { type ActionId, decodeRequestAction, type FormView, type MoveFormId } from "../views.js";
import { buildMoveForm } from "./move-form.js";
import type { InteractionDeps, Outcome } from "./outcome.js";
import { isReminderAction, reminderAction } from "./reminder-action.js";
import { cardFor, isOutcome, makeMove, moveRefusal, resolveActor } from "./request-outcomes.js";
import { openSurvey } from "./survey.js";

export interface ClickActionInput {
  /** Who acted, as the platform names them: resolved to a person (with roles) here. */
  identity: IdentityInfo;
  platform: Platform;
  actionId: ActionId;
  /** The button's value: which request at which version, or which reminder. */
  value: string;
}

/**
 * A clicked button. A move that needs inputs opens its form (checked first, so a stale
 * or forbidden click is answered at once); a move that needs none is made here.
 */
export async function clickAction(deps: InteractionDeps, input: ClickActionInput): Promise<Outcome> {
  const { actionId } = input;
  const { core } = deps;
  const actor = await resolveActor(deps, input.identity, actionId);
  if (isOutcome(actor)) return actor;
  if (isReminderAction(actionId)) return reminderAction(deps, actor, actionId, input.value, input.platform);
  if (actionId === "surveyRate") return openSurvey(deps, actor, input.value);
  const target = decodeRequestAction(input.value);
  if (!target) return { kind: "refused", notice: noticeView("This button is no longer valid.") };
  if (actionId === "cancel") return cancelForm(deps, actor, target.requestId);
  const kind = actionId as MoveKind;
  try {
    const request = await checkMove(core, { actor, requestId: target.requestId, expectedVersion: target.version, kind });
    if (MOVE_RULES[kind].opensForm) {
      const form: FormView =
        kind === "edit" ? requestFormView({ editing: request }) : await buildMoveForm(core, actor, kind as MoveFormId, request);
      return { kind: "form", form };
    }
    return await makeMove(deps, actor, { requestId: request.id, version: request.version }, { kind } as Move);
  } catch (error) {
    return moveRefusal(deps, actor, target, error, actionId);
  }
}

/** A move's form left without submitting: the person sees the request's card again. */
async function cancelForm(deps: InteractionDeps, actor: Actor, requestId: string): Promise<Outcome> {
  const notice = noticeView("Nothing was changed.");
  try {
    const current = await deps.core.requests.findById(requestId);
    return { kind: "done", notice, card: current ? await cardFor(deps.core, actor, current) : notice };
  } catch (error) {
    return { kind: "failed", notice: answerError(error, deps.report, { step: "cancel" }) };
  }
}
