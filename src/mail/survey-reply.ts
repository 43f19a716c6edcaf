import type { Audience } from "../chat/owed.js";
import { lowRatingAlertBuilder } from "../chat/owed-feedback.js";
import { noticeView } from "../chat/present.js";
import { thanksText } from "../chat/present-feedback.js";
import { isAppError } from "../core/errors.js";
import { answerSurvey } from "../core/feedback/survey.js";
import type { Actor, MaRequest } from "../core/model.js";
import { directAddress, identityKey } from "../core/people/identity.js";
import type { Handled, MailPassDeps } from "./read-mailbox.js";

/** `Rating: 4` on a line of its own, the answer to a survey by mail. */
const RATING_LINE = /^\s*rating\s*:\s*([1-5])\s*(?:[-–(].*)?$/im;

/**
 * A requester's reply that carries `Rating: N`: their survey answer, the rest of the text
 * its comment. Undefined when the mail has no rating line (it is an ordinary reply). A
 * refused answer (closed, already given) is answered kindly by mail.
 */
export async function surveyReply(
  deps: MailPassDeps,
  audience: Audience,
  from: string,
  actor: Actor,
  request: MaRequest,
  rest: string,
): Promise<Handled | undefined> {
  const match = RATING_LINE.exec(rest);
  if (!match || request.status !== "DELIVERED") return undefined;
  const comment = rest.replace(match[0], "").trim().slice(0, 1000);
  const line = (what: string, outcome: string): Handled => ({
    outcome,
    requestId: request.id,
    bucket: "replies",
    line: `${from}: ${what} ${request.number}`,
  });
  const { core } = deps;
  try {
    const alert = await lowRatingAlertBuilder(core, audience);
    const { survey } = await answerSurvey(core, { actor, requestId: request.id, rating: Number(match[1]), comment, alert });
    await tell(deps, request, from, thanksText(request, survey.rating ?? 0), "thanks");
    return line(`rated ${survey.rating}/5`, "survey");
  } catch (error) {
    if (!isAppError(error) || error.code === "UNAVAILABLE") throw error;
    await tell(deps, request, from, error.message, "refused");
    return line("survey answer refused for", "survey-refused");
  }
}

/** One mail back to the requester, through the outbox (its key: one per request and outcome). */
async function tell(deps: MailPassDeps, request: MaRequest, address: string, text: string, what: string): Promise<void> {
  const key = identityKey("email", address);
  await deps.core.outbox.enqueue(
    [
      {
        kind: "notice",
        platform: "email",
        conversationId: directAddress(key),
        subjectKey: `request:${request.id}`,
        version: request.version,
        body: JSON.stringify(noticeView(text)),
        dedupeKey: `survey-${what}:${request.id}:${key}`,
      },
    ],
    deps.core.clock.now(),
  );
}
