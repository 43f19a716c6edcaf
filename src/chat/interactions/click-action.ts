import type { Actor, Platform } from "../../core/model.js";
import type { IdentityInfo } from "../../core/ports.js";
import { checkMove, moveRequest } from "../../core/requests/move-request.js";
import { facultyLoad } from "../../core/requests/queries.js";
import { MOVE_RULES, type MoveKind } from "../../core/requests/workflow.js";
import { answerError } from "../errors.js";
import { moveFormView, requestFormView } from "../forms.js";
import { currentAudience, owedForMove } from "../owed.js";
import { noticeView } from "../present.js";
import { type ActionId, decodeRequestAction, type FormId, type FormView } from "../views.js";
import type { InteractionDeps, Outcome } from "./outcome.js";
import { isReminderAction, reminderAction } from "./reminder-action.js";
import { cardFor, moveRefusal } from "./request-outcomes.js";

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
  let actor: Actor;
  try {
    actor = await core.people.resolve(input.identity);
  } catch (error) {
    return { kind: "failed", notice: answerError(error, deps.report, { step: actionId }) };
  }
  if (isReminderAction(actionId)) return reminderAction(deps, actor, actionId, input.value);
  const target = decodeRequestAction(input.value);
  if (!target) return { kind: "refused", notice: noticeView("This button is no longer valid.") };
  const kind = actionId as MoveKind;
  try {
    const request = await checkMove(core, { actor, requestId: target.requestId, expectedVersion: target.version, kind });
    if (MOVE_RULES[kind].opensForm) {
      const loads = MOVE_RULES[kind].listsFaculty ? await facultyLoad(core, actor) : undefined;
      const form: FormView =
        kind === "edit" ? requestFormView({ editing: request }) : moveFormView(kind as Exclude<FormId, "request">, request, { loads });
      return { kind: "form", form };
    }
    const audience = await currentAudience(core, deps.channels);
    const result = await moveRequest(core, {
      actor,
      requestId: request.id,
      expectedVersion: request.version,
      move: { kind } as { kind: "deliver" },
      owe: (moved, summary, notify) => owedForMove(audience, moved, summary, notify),
    });
    deps.wake();
    return {
      kind: "done",
      notice: noticeView(`${result.request.number}: ${result.summary}`),
      card: cardFor(actor, result.request, result.summary),
    };
  } catch (error) {
    return moveRefusal(deps, actor, target, error, actionId);
  }
}
