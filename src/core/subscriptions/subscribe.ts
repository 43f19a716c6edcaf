import type { CoreDeps } from "../deps.js";
import { AppError, notFoundOrNotPermitted } from "../errors.js";
import { parseCaseId } from "../ids/case-id.js";
import { parseRequestNumber } from "../ids/request-number.js";
import type { Actor, Platform } from "../model.js";
import { canSeeCase, canSeeRequest } from "../permissions.js";
import type { SubscriptionTarget } from "../ports.js";

export interface SubscribeInput {
  actor: Actor;
  platform: Platform;
  conversationId: string;
  /** `BN-D-YAB` or `MA-2026-0007` as typed. */
  targetText: string;
}

export interface SubscribeResult {
  target: SubscriptionTarget;
  /** What to call it in a reply: the case id or the request number. */
  label: string;
  /** False when there was nothing to do (already subscribed / not subscribed). */
  changed: boolean;
}

/**
 * Resolves and authorises a subscription target. Cases: faculty, admin and case-viewers
 * of that case. Requests: faculty and the requester. A target the actor may not see
 * reads as not found.
 */
async function resolveTarget(deps: CoreDeps, actor: Actor, text: string): Promise<{ target: SubscriptionTarget; label: string }> {
  const number = parseRequestNumber(text);
  if (number) {
    const request = await deps.requests.findByNumber(number);
    if (!request || !canSeeRequest(actor, request)) throw notFoundOrNotPermitted(`Request ${number}`);
    return { target: { type: "request", id: request.id }, label: number };
  }
  const parsed = parseCaseId(text);
  if (!parsed.ok) {
    throw new AppError("INVALID_INPUT", `Give a case id (e.g. BN-D-YAB) or a request id (e.g. MA-2026-0007). ${parsed.message}.`);
  }
  const caseId = parsed.value.id;
  if (!canSeeCase(actor, caseId) || !(await deps.cases.find(caseId))) throw notFoundOrNotPermitted(`Case ${caseId}`);
  return { target: { type: "case", id: caseId }, label: caseId };
}

export async function subscribe(deps: CoreDeps, input: SubscribeInput): Promise<SubscribeResult> {
  const { target, label } = await resolveTarget(deps, input.actor, input.targetText);
  const changed = await deps.subscriptions.add({
    platform: input.platform,
    conversationId: input.conversationId,
    target,
    createdById: input.actor.id,
  });
  return { target, label, changed };
}

export async function unsubscribe(deps: CoreDeps, input: SubscribeInput): Promise<SubscribeResult> {
  const { target, label } = await resolveTarget(deps, input.actor, input.targetText);
  const changed = await deps.subscriptions.remove({ platform: input.platform, conversationId: input.conversationId, target });
  return { target, label, changed };
}
