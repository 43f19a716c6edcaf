import { dayInZone } from "../dates.js";
import type { CoreDeps } from "../deps.js";
import type { IsoDate, MaRequest } from "../model.js";
import type { SurveyRecord } from "./ports.js";
import { SURVEY_SCALE } from "./survey.js";

/** Surveys answered and their average, for one component or one lead. */
export interface FeedbackGroup {
  key: string;
  sent: number;
  answered: number;
  average?: number;
}

/** What requesters said of the surveys sent in a period. */
export interface FeedbackReport {
  sent: number;
  answered: number;
  /** Answered of sent, in percent (whole); undefined with none sent. */
  responseRate?: number;
  /** Mean rating, one decimal; undefined with no answer. */
  average?: number;
  /** How many answers gave each rating, "1" to "5". */
  distribution: Record<string, number>;
  byComponent: FeedbackGroup[];
  byLead: FeedbackGroup[];
}

/** How far a zone's day can be from UTC's: what widens the query so no local day is cut off. */
const MAX_ZONE_OFFSET_MS = 14 * 60 * 60_000;

const mean = (ratings: number[]) =>
  ratings.length === 0 ? undefined : Math.round((ratings.reduce((sum, value) => sum + value, 0) / ratings.length) * 10) / 10;

/** The surveys sent on the days [from, to] (in the core's zone), with their answers. */
export async function feedbackReport(deps: CoreDeps, from: IsoDate, to: IsoDate): Promise<FeedbackReport> {
  const sent = (
    await deps.surveys.sentBetween(
      new Date(Date.parse(`${from}T00:00:00Z`) - MAX_ZONE_OFFSET_MS),
      new Date(Date.parse(`${to}T23:59:59Z`) + MAX_ZONE_OFFSET_MS),
    )
  ).filter((survey) => {
    const day = dayInZone(survey.sentAt, deps.timeZone);
    return day >= from && day <= to;
  });
  const requests = await Promise.all(sent.map((survey) => deps.requests.findById(survey.requestId)));
  return computeFeedback(sent.flatMap((survey, index) => (requests[index] ? [{ survey, request: requests[index] }] : [])));
}

/** The numbers, from surveys and their requests alone. */
export function computeFeedback(items: Array<{ survey: SurveyRecord; request: MaRequest }>): FeedbackReport {
  const ratings = items.flatMap(({ survey }) => (survey.rating === undefined ? [] : [survey.rating]));
  const distribution = Object.fromEntries(
    SURVEY_SCALE.map((step) => [String(step.rating), ratings.filter((rating) => rating === step.rating).length]),
  );
  const group = (keyOf: (request: MaRequest) => string): FeedbackGroup[] => {
    const groups = new Map<string, Array<{ survey: SurveyRecord }>>();
    for (const item of items) groups.set(keyOf(item.request), [...(groups.get(keyOf(item.request)) ?? []), item]);
    return [...groups.entries()]
      .map(([key, members]) => {
        const answered = members.flatMap(({ survey }) => (survey.rating === undefined ? [] : [survey.rating]));
        return { key, sent: members.length, answered: answered.length, average: mean(answered) };
      })
      .sort((a, b) => b.sent - a.sent || a.key.localeCompare(b.key));
  };
  return {
    sent: items.length,
    answered: ratings.length,
    responseRate: items.length === 0 ? undefined : Math.round((ratings.length / items.length) * 100),
    average: mean(ratings),
    distribution,
    byComponent: group((request) => request.form.component),
    byLead: group((request) => request.lead?.displayName ?? "(no lead)"),
  };
}
