import { formatDay } from "../core/dates.js";
import type { FieldErrors } from "../core/errors.js";
import type { SurveyRecord } from "../core/feedback/ports.js";
import { LOW_RATING, MAX_COMMENT_LENGTH, ratingLabel, SURVEY_QUESTION, SURVEY_SCALE } from "../core/feedback/survey.js";
import type { MaRequest } from "../core/model.js";
import { userText } from "./inert.js";
import { limited } from "./request-fields.js";
import { encodeRequestAction, type FormView, type MessageView } from "./views.js";

/** A rating button's value: which request's survey, which rating. */
export function encodeSurveyRating(requestId: string, rating: number): string {
  return JSON.stringify({ s: requestId, n: rating });
}

export function decodeSurveyRating(text: string): { requestId: string; rating: number } | undefined {
  if (text.length > 200) return undefined;
  try {
    const parsed = JSON.parse(text) as { s?: unknown; n?: unknown };
    if (typeof parsed.s === "string" && typeof parsed.n === "number") return { requestId: parsed.s, rating: parsed.n };
  } catch {
    // Not ours.
  }
  return undefined;
}

/** How a mail requester answers: a line the bridge reads back. */
export const MAIL_RATING_HINT =
  "Reply to this mail with a line `Rating: N` (1 = Poor, 2 = Fair, 3 = Good, 4 = Very good, 5 = Excellent) and, if you like, a comment below it.";

/**
 * The one survey a requester gets after delivery: the question, five buttons each saying
 * what it means (never colour or emoji alone), an optional comment on the next step. By
 * mail the buttons become the `Rating:` line to reply with.
 */
export function surveyView(request: MaRequest, survey: SurveyRecord, byMail: boolean): MessageView {
  const about = `${request.number} · ${userText(request.form.program || request.intake?.title || "")}`;
  const closes = `Open until ${formatDay(survey.expiresOn)}. Optional: add a comment on the next step.`;
  return {
    text: `${SURVEY_QUESTION} ${request.number}`,
    blocks: [
      { type: "header", text: SURVEY_QUESTION },
      { type: "text", text: `${about}\nRate it from 1 (Poor) to 5 (Excellent).` },
      byMail
        ? { type: "text", text: MAIL_RATING_HINT }
        : {
            type: "actions",
            actions: SURVEY_SCALE.map((step) => ({
              id: "surveyRate" as const,
              label: ratingLabel(step.rating),
              description: `${ratingLabel(step.rating)}: rate ${request.number} ${step.rating} of 5`,
              value: encodeSurveyRating(request.id, step.rating),
            })),
          },
      { type: "context", text: byMail ? `Open until ${formatDay(survey.expiresOn)}.` : closes },
    ],
  };
}

/** The survey's form: the rating (chosen by the button pressed) and an optional comment. */
export function surveyFormView(request: MaRequest, values: { rating?: string; comment?: string }, errors: FieldErrors = {}): FormView {
  return {
    id: "survey",
    title: "Feedback",
    submitLabel: "Send",
    intro: `${SURVEY_QUESTION} ${request.number}`,
    state: encodeRequestAction({ requestId: request.id, version: request.version }),
    fields: [
      {
        name: "rating",
        label: "Your rating",
        kind: "select",
        required: true,
        options: SURVEY_SCALE.map((step) => ({ value: String(step.rating), label: ratingLabel(step.rating) })),
        value: values.rating,
        error: errors.rating,
      },
      {
        name: "comment",
        label: "Comment (optional)",
        kind: "textarea",
        required: false,
        ...limited({ max: MAX_COMMENT_LENGTH }),
        value: values.comment,
        error: errors.comment,
      },
    ],
  };
}

export const thanksText = (request: MaRequest, rating: number) =>
  `Thank you for your feedback on ${request.number}: ${ratingLabel(rating)}.`;

/** A rating of 1 or 2, to the lead and the admins: the rating and the comment, for a follow-up. */
export function lowRatingView(request: MaRequest, survey: SurveyRecord): MessageView {
  const rating = survey.rating ?? LOW_RATING;
  const comment = survey.comment ? `\nComment: ${userText(survey.comment)}` : "";
  const text = `⚠ Low feedback on ${request.number}: ${ratingLabel(rating)} from ${userText(request.requester.displayName)}.`;
  return { text, blocks: [{ type: "text", text: `${text}${comment}\nConsider following up with the requester.` }] };
}
