import { isAppError } from "../../core/errors.js";
import type { Platform } from "../../core/model.js";
import type { IdentityInfo } from "../../core/ports.js";
import type { RawRequestForm } from "../../core/requests/request-form.js";
import { submitRequest } from "../../core/requests/submit-request.js";
import { answerError, noteLimited } from "../errors.js";
import { requestFormView } from "../forms.js";
import { moveFromForm } from "../move-from-form.js";
import { currentAudience, owedForNewRequest } from "../owed.js";
import { noticeView } from "../present.js";
import { decodeRequestAction, type FormId, type FormView } from "../views.js";
import { buildMoveForm } from "./move-form.js";
import type { InteractionDeps, Outcome } from "./outcome.js";
import { isOutcome, makeMove, moveRefusal, resolveActor } from "./request-outcomes.js";
import { submitSurvey } from "./survey.js";

export interface SubmitFormInput {
  /** Who acted, as the platform names them: resolved to a person (with roles) here. */
  identity: IdentityInfo;
  platform: Platform;
  formId: FormId;
  /** The form's carried state: empty for a new request, the request and version otherwise. */
  state: string;
  values: RawRequestForm;
  /** The platform's key for this submission: a resent one returns the first result. */
  idempotencyKey: string;
}

const SAVE_FAILED = "We could not save your request just now. Everything you typed is still here: press Submit to try again.";

/**
 * A submitted form: a new request, an edit, or one workflow move. The change and every
 * message it owes are stored in one transaction; the dispatcher is woken to send them.
 */
export async function submitForm(deps: InteractionDeps, input: SubmitFormInput): Promise<Outcome> {
  const target = decodeRequestAction(input.state);
  if (input.formId === "request" && !target) return submitNewRequest(deps, input);
  if (!target) return { kind: "refused", notice: noticeView("This form has expired; start again.") };
  const { core } = deps;
  const { formId, values } = input;
  const actor = await resolveActor(deps, input.identity, formId);
  if (isOutcome(actor)) return actor;
  if (formId === "survey") return submitSurvey(deps, actor, input.state, values);
  const move = formId === "request" ? { kind: "edit" as const, raw: values } : moveFromForm(formId, textValues(values));
  try {
    return await makeMove(deps, actor, target, move);
  } catch (error) {
    if (isAppError(error, "INVALID_INPUT") && Object.keys(error.fieldErrors).length > 0) {
      const request = await core.requests.findById(target.requestId);
      if (request) {
        const form: FormView =
          formId === "request"
            ? requestFormView({ editing: request, values, errors: error.fieldErrors })
            : await buildMoveForm(core, actor, formId, request, { errors: error.fieldErrors, values: textValues(values) });
        return { kind: "invalid", errors: error.fieldErrors, form };
      }
    }
    return moveRefusal(deps, actor, target, error, formId);
  }
}

async function submitNewRequest(deps: InteractionDeps, input: SubmitFormInput): Promise<Outcome> {
  // A first-time requester is stored with their request, in its transaction (one commit).
  let requester: Awaited<ReturnType<InteractionDeps["core"]["people"]["resolveRequester"]>>;
  try {
    requester = await deps.core.people.resolveRequester(input.identity);
  } catch (error) {
    return {
      kind: "failed",
      notice: answerError(error, deps.report, { step: "submit" }),
      form: requestFormView({ values: input.values, notice: SAVE_FAILED }),
    };
  }
  const { actor, unsaved } = requester;
  try {
    const audience = await currentAudience(deps.core, deps.channels);
    const result = await submitRequest(deps.core, {
      actor,
      raw: input.values,
      platform: input.platform,
      idempotencyKey: input.idempotencyKey,
      owe: (request) => owedForNewRequest(audience, request),
      ...(unsaved ? { newRequester: unsaved } : {}),
    });
    if (!result.ok) {
      return { kind: "invalid", errors: result.fieldErrors, form: requestFormView({ values: input.values, errors: result.fieldErrors }) };
    }
    deps.wake();
    return {
      kind: "done",
      notice: noticeView(`Thank you. Your request is ${result.request.number}; you will get a message as it moves.`),
    };
  } catch (error) {
    if (isAppError(error, "LIMITED")) {
      noteLimited(deps, error, { limit: "requests", person: actor.id });
      return { kind: "refused", notice: noticeView(error.message) };
    }
    // Saving failed: the form comes back filled in, with a notice, so nothing typed is lost.
    return {
      kind: "failed",
      notice: answerError(error, deps.report, { step: "submit" }),
      form: requestFormView({ values: input.values, notice: SAVE_FAILED }),
    };
  }
}

export function textValues(values: RawRequestForm): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, Array.isArray(value) ? value.join(",") : String(value ?? "")]),
  );
}
