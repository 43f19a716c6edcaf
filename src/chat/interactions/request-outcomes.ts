import { isAppError } from "../../core/errors.js";
import type { Actor, MaRequest } from "../../core/model.js";
import { isFaculty } from "../../core/permissions.js";
import { movesForPerson } from "../../core/requests/workflow.js";
import { answerError } from "../errors.js";
import { currentAudience, owedRedraws } from "../owed.js";
import { requesterCardView, triageCardView } from "../present.js";
import type { MessageView } from "../views.js";
import type { InteractionDeps, Outcome } from "./outcome.js";

/** The card a person should see for a request: the triage card for faculty, their own for a requester. */
export function cardFor(actor: Actor, request: MaRequest, lastChange?: string): MessageView {
  return isFaculty(actor)
    ? triageCardView(request, lastChange)
    : requesterCardView(request, request.number, movesForPerson(actor, request));
}

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
  if (!isAppError(error) || error.code === "UNAVAILABLE") return { kind: "failed", notice };
  if (error.code === "CONFLICT") {
    const current = await deps.core.requests.findById(request.requestId).catch(() => undefined);
    if (current && current.version !== request.version) {
      const audience = await currentAudience(deps.core, deps.channels);
      await deps.core.outbox.enqueue(owedRedraws(audience, current), deps.core.clock.now());
      deps.wake();
      return { kind: "stale", notice, current: cardFor(actor, current) };
    }
  }
  return { kind: "refused", notice };
}
