import { dayInZone, formatDay, instantInZone } from "../dates.js";
import type { CoreDeps } from "../deps.js";
import { AppError, notFoundOrNotPermitted } from "../errors.js";
import type { Actor, IsoDate, MaRequest } from "../model.js";
import type { OwedMessage } from "../outbox.js";
import { addWorkingDays } from "../service-levels/working-days.js";
import type { SurveyRecord } from "./ports.js";

/** The five answers, each with the words it means: never a colour or an emoji alone. */
export const SURVEY_SCALE: ReadonlyArray<{ rating: number; meaning: string }> = [
  { rating: 1, meaning: "Poor" },
  { rating: 2, meaning: "Fair" },
  { rating: 3, meaning: "Good" },
  { rating: 4, meaning: "Very good" },
  { rating: 5, meaning: "Excellent" },
];

/** "4 – Very good": what a button or an option says. */
export const ratingLabel = (rating: number) => `${rating} – ${SURVEY_SCALE.find((step) => step.rating === rating)?.meaning ?? ""}`;

export const SURVEY_QUESTION = "How did the Mission Assistance go?";
/** Working days a survey stays open once sent. */
export const SURVEY_OPEN_WORKING_DAYS = 14;
/** Ratings at or below this tell the lead and the admins. */
export const LOW_RATING = 2;
/** A survey goes out from this hour of its day (the working day's start), in REMINDER_TIMEZONE. */
const SURVEY_HOUR = 8;
export const MAX_COMMENT_LENGTH = 1000;

/**
 * When a delivery's survey is owed: `delayDays` working days after the day it was
 * delivered, from 08:00 in the zone. Undefined when surveys are off (0).
 */
export function surveyDueAt(deps: Pick<CoreDeps, "calendar" | "timeZone">, deliveredAt: Date, delayDays: number): Date | undefined {
  if (delayDays <= 0) return undefined;
  const day = addWorkingDays(dayInZone(deliveredAt, deps.timeZone), delayDays, deps.calendar);
  return instantInZone(day, SURVEY_HOUR, deps.timeZone);
}

/** The last day a survey sent at `sentAt` takes an answer. */
export function surveyExpiresOn(deps: Pick<CoreDeps, "calendar" | "timeZone">, sentAt: Date): IsoDate {
  return addWorkingDays(dayInZone(sentAt, deps.timeZone), SURVEY_OPEN_WORKING_DAYS, deps.calendar);
}

/** Whether a survey is owed for this delivery: not when the requester marked it delivered themselves. */
export function owesSurvey(request: MaRequest, deliveredBy: string): boolean {
  return request.status === "DELIVERED" && request.requester.id !== deliveredBy;
}

export interface AnswerSurveyInput {
  actor: Actor;
  requestId: string;
  rating: number;
  comment: string;
  /** The low-rating alert, built for the request (to its lead and the admins); stored with the answer. */
  alert?: (request: MaRequest, survey: SurveyRecord) => OwedMessage[];
}

/**
 * Records the requester's answer to their survey: once, while it is open. Refusals say why
 * kindly (already answered, closed on a day, not asked yet).
 */
export async function answerSurvey(
  deps: CoreDeps,
  input: AnswerSurveyInput,
): Promise<{ request: MaRequest; survey: SurveyRecord; low: boolean }> {
  const request = await deps.requests.findById(input.requestId);
  if (!request || request.requester.id !== input.actor.id) throw notFoundOrNotPermitted("That survey");
  const rating = Math.trunc(input.rating);
  if (!SURVEY_SCALE.some((step) => step.rating === rating)) {
    throw new AppError("INVALID_INPUT", "Choose a rating from 1 to 5.", { rating: "Choose a rating from 1 to 5" });
  }
  const comment = input.comment.trim();
  if (comment.length > MAX_COMMENT_LENGTH) {
    const tooLong = `At most ${MAX_COMMENT_LENGTH} characters`;
    throw new AppError("INVALID_INPUT", `${tooLong}.`, { comment: tooLong });
  }
  const survey = await deps.surveys.find(request.id);
  if (!survey) throw new AppError("CONFLICT", `There is no feedback survey for ${request.number} yet.`);
  if (survey.rating !== undefined) throw new AppError("CONFLICT", `Thank you: your feedback on ${request.number} was already recorded.`);
  const at = deps.clock.now();
  if (dayInZone(at, deps.timeZone) > survey.expiresOn) {
    throw new AppError(
      "CONFLICT",
      `Thank you for answering. The survey for ${request.number} closed on ${formatDay(survey.expiresOn)}, so this answer was not recorded; you can still write to the Mission Assistance team.`,
    );
  }
  const low = rating <= LOW_RATING;
  const answered: SurveyRecord = { ...survey, rating, comment, answeredById: input.actor.id, answeredAt: at };
  const owed = low && input.alert ? input.alert(request, answered) : [];
  if (!(await deps.surveys.answer(request.id, { rating, comment, byId: input.actor.id, at }, owed))) {
    throw new AppError("CONFLICT", `Thank you: your feedback on ${request.number} was already recorded.`);
  }
  return { request, survey: answered, low };
}
