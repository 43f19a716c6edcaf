import { surveyView } from "../chat/present-feedback.js";
import type { CoreDeps } from "../core/deps.js";
import { surveyExpiresOn } from "../core/feedback/survey.js";
import { identityOfAddress } from "../core/people/identity.js";
import type { OutboxRow } from "../core/ports.js";
import type { Plan } from "./prepare.js";

const idOf = (subjectKey: string) => subjectKey.slice(subjectKey.indexOf(":") + 1);

/**
 * A survey due: sent while the request is still delivered and its survey unanswered. The
 * survey row (one per request, a unique key) is opened by the first send; it sets the
 * 14 working days it stays open.
 */
export async function prepareSurvey(core: CoreDeps, row: OutboxRow, now: Date): Promise<Plan> {
  const request = await core.requests.findById(idOf(row.subjectKey));
  if (!request) return { cancel: "request removed" };
  if (request.status !== "DELIVERED") return { cancel: "request no longer delivered" };
  const identityKey = identityOfAddress(row.conversationId);
  if (!identityKey || !request.requester.identityKeys.includes(identityKey)) return { cancel: "no longer the requester" };
  const survey = await core.surveys.open(request.id, now, surveyExpiresOn(core, now));
  if (survey.rating !== undefined) return { cancel: "already answered" };
  const view = surveyView(request, survey, row.platform === "email");
  return { send: (channel) => channel.sendDirect(identityKey, view, { outboxId: row.id, subjectKey: row.subjectKey }) };
}
