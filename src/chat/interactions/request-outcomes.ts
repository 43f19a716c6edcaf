import { relatedCasesNotOnFile } from "../../core/cases/cases-on-file.js";
import type { CoreDeps } from "../../core/deps.js";
import { isAppError, notFoundOrNotPermitted } from "../../core/errors.js";
import type { Actor, MaRequest } from "../../core/model.js";
import { canSeeRequest, isFaculty } from "../../core/permissions.js";
import type { IdentityInfo } from "../../core/ports.js";
import { internalNotes } from "../../core/requests/add-note.js";
import { moveRequest } from "../../core/requests/move-request.js";
import { type Move, movesForPerson } from "../../core/requests/workflow.js";
import { answerError } from "../errors.js";
import { readerZone } from "../format.js";
import { currentAudience, owedForMove, owedRedraws } from "../owed.js";
import { noticeView, requesterCardView, triageCardView } from "../present.js";
import type { MessageView } from "../views.js";
import type { InteractionDeps, Outcome } from "./outcome.js";

/**
 * The card a person should see for a request: the triage card for faculty, their own for
 * a requester, nothing for anyone else; instants in their zone (else `configuredZone`).
 * Every path that draws a request for a person (answers, refusals, errors) draws it through here.
 */
export async function cardFor(core: CoreDeps, actor: Actor, request: MaRequest, lastChange?: string): Promise<MessageView> {
  if (!canSeeRequest(actor, request)) return noticeView(notFoundOrNotPermitted("That request").message);
  const zone = readerZone(actor, core.timeZone);
  // Internal notes only on faculty's card: the core gives nobody else any.
  return isFaculty(actor)
    ? triageCardView(request, zone, lastChange, {
        notes: await internalNotes(core, actor, request),
        notOnFile: await relatedCasesNotOnFile(core, request),
      })
    : requesterCardView(request, request.number, movesForPerson(actor, request), zone);
}

/**
 * Makes a move and stores the messages it owes in the same transaction, then wakes the
 * dispatcher. Refusals throw, for the caller to turn into an outcome.
 */
export async function makeMove(
  deps: InteractionDeps,
  actor: Actor,
  target: { requestId: string; version: number },
  move: Move,
): Promise<Outcome> {
  const audience = await currentAudience(deps.core, deps.channels);
  const result = await moveRequest(deps.core, {
    actor,
    requestId: target.requestId,
    expectedVersion: target.version,
    move,
    owe: (request, summary, notify, made) => owedForMove(audience, request, summary, notify, made),
  });
  deps.wake();
  return {
    kind: "done",
    notice: noticeView(`${result.request.number}: ${result.summary}`),
    card: await cardFor(deps.core, actor, result.request, result.summary),
  };
}

type Failed = Extract<Outcome, { kind: "failed" }>;

/** The person behind a platform identity, or the outcome that says we could not find out. */
export async function resolveActor(deps: InteractionDeps, identity: IdentityInfo, step: string): Promise<Actor | Failed> {
  try {
    return await deps.core.people.resolve(identity);
  } catch (error) {
    return { kind: "failed", notice: answerError(error, deps.report, { step }) };
  }
}

export const isOutcome = (value: Actor | Failed): value is Failed => "kind" in value;

/**
 * A move on a request was refused or failed: says why. A card drawn at an older version
 * is stale: the person gets the current card, and the cards in the triage channels are
 * redrawn at the current version (once per version, through the outbox).
 */
export async function moveRefusal(
  deps: InteractionDeps,
  actor: Actor,
  request: { requestId: string; version: number },
  error: unknown,
  step: string,
): Promise<Outcome> {
  const notice = answerError(error, deps.report, { step });
  // Nothing changed: the request as it is now is the card the person acted on (or a newer one).
  const current = await deps.core.requests.findById(request.requestId).catch(() => undefined);
  const visible = current && canSeeRequest(actor, current) ? await cardFor(deps.core, actor, current) : undefined;
  if (!isAppError(error) || error.code === "UNAVAILABLE") return { kind: "failed", notice, current: visible };
  if (error.code === "CONFLICT" && current && current.version !== request.version) {
    const audience = await currentAudience(deps.core, deps.channels);
    await deps.core.outbox.enqueue(owedRedraws(audience, current), deps.core.clock.now());
    deps.wake();
    return { kind: "stale", notice, current: await cardFor(deps.core, actor, current) };
  }
  return { kind: "refused", notice, current: visible };
}
