import type { CoreDeps } from "../core/deps.js";
import type { SurveyRecord } from "../core/feedback/ports.js";
import { surveyDueAt } from "../core/feedback/survey.js";
import type { MaRequest } from "../core/model.js";
import { adminIdentityKeys } from "../core/people/admins.js";
import { directTargets } from "../core/people/identity.js";
import type { OwedMessage } from "../core/ports.js";
import type { MadeMove } from "../core/requests/move-request.js";
import type { Audience } from "./owed.js";
import { lowRatingView } from "./present-feedback.js";

const subjectOf = (request: Pick<MaRequest, "id">) => `request:${request.id}`;

/** When a delivery made now would owe its survey; undefined when surveys are off. */
export function surveyTime(core: CoreDeps, now = core.clock.now()): Date | undefined {
  return surveyDueAt(core, now, core.surveyDelayDays ?? 2);
}

/**
 * A delivery owes the requester one survey, `SURVEY_DELAY_DAYS` working days later, on
 * each platform they are reached on. Its key names the request only (not the version), so
 * the database keeps it to one per request, ever: a redelivery after a reopen owes none.
 * Not owed when the requester marked it delivered themselves, or with surveys off.
 */
export function owedSurvey(audience: Audience, request: MaRequest, made: MadeMove | undefined): OwedMessage[] {
  if (made?.kind !== "deliver" || request.status !== "DELIVERED" || made.actorId === request.requester.id) return [];
  const due = audience.surveyAt;
  if (!due) return [];
  return directTargets(request.requester.identityKeys, audience.platforms).map((target) => ({
    kind: "survey",
    ...target,
    subjectKey: subjectOf(request),
    version: request.version,
    body: "",
    // One owed per delivery (a reopened request's survey may be cancelled unsent); prepareSurvey
    // sends none once an earlier delivery's was sent, so a request is asked once.
    dedupeKey: `survey:${request.id}:v${request.version}:${target.platform}:${target.conversationId}`,
    notBefore: due,
  }));
}

/** A rating of 1 or 2 tells the lead and the admins, once (keyed by the request). */
export async function lowRatingAlertBuilder(core: CoreDeps, audience: Audience) {
  const admins = await adminIdentityKeys(core);
  return (request: MaRequest, survey: SurveyRecord): OwedMessage[] => {
    const keys = [...(request.lead?.identityKeys ?? []), ...admins];
    const body = JSON.stringify(lowRatingView(request, survey));
    return directTargets(keys, audience.platforms).map((target) => ({
      kind: "notice",
      ...target,
      subjectKey: subjectOf(request),
      version: request.version,
      body,
      dedupeKey: `low-rating:${request.id}:${target.platform}:${target.conversationId}`,
    }));
  };
}
