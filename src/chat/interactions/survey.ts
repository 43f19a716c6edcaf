import { isAppError } from "../../core/errors.js";
import { answerSurvey } from "../../core/feedback/survey.js";
import type { Actor } from "../../core/model.js";
import type { RawRequestForm } from "../../core/requests/request-form.js";
import { answerError } from "../errors.js";
import { currentAudience } from "../owed.js";
import { lowRatingAlertBuilder } from "../owed-feedback.js";
import { noticeView } from "../present.js";
import { decodeSurveyRating, surveyFormView, thanksText } from "../present-feedback.js";
import { decodeRequestAction } from "../views.js";
import type { InteractionDeps, Outcome } from "./outcome.js";

/** A rating button pressed: the survey's form, that rating chosen, a comment box beside it. */
export async function openSurvey(deps: InteractionDeps, actor: Actor, value: string): Promise<Outcome> {
  const target = decodeSurveyRating(value);
  const request = target ? await deps.core.requests.findById(target.requestId) : undefined;
  if (!target || !request || request.requester.id !== actor.id)
    return { kind: "refused", notice: noticeView("This survey is not yours, or no longer valid.") };
  return { kind: "form", form: surveyFormView(request, { rating: String(target.rating) }) };
}

/** The survey's form sent: the answer recorded once, a low rating told to the lead and admins. */
export async function submitSurvey(deps: InteractionDeps, actor: Actor, state: string, values: RawRequestForm): Promise<Outcome> {
  const target = decodeRequestAction(state);
  if (!target) return { kind: "refused", notice: noticeView("This form has expired.") };
  const text = (name: string) => String((values as Record<string, unknown>)[name] ?? "").trim();
  try {
    const audience = await currentAudience(deps.core, deps.channels);
    const alert = await lowRatingAlertBuilder(deps.core, audience);
    const { request, survey } = await answerSurvey(deps.core, {
      actor,
      requestId: target.requestId,
      rating: Number(text("rating")),
      comment: text("comment"),
      alert,
    });
    deps.wake();
    return { kind: "done", notice: noticeView(thanksText(request, survey.rating ?? 0)) };
  } catch (error) {
    if (isAppError(error, "INVALID_INPUT") && Object.keys(error.fieldErrors).length > 0) {
      const request = await deps.core.requests.findById(target.requestId);
      if (request) {
        const form = surveyFormView(request, { rating: text("rating"), comment: text("comment") }, error.fieldErrors);
        return { kind: "invalid", errors: error.fieldErrors, form };
      }
    }
    const notice = answerError(error, deps.report, { step: "survey" });
    return isAppError(error) && error.code !== "UNAVAILABLE" ? { kind: "refused", notice } : { kind: "failed", notice };
  }
}
