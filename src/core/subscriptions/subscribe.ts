import type { CoreDeps } from "../deps.js";
import { AppError, notFoundOrNotPermitted } from "../errors.js";
import { caseIdProblem, MASKED_CUSTOMER_CODE, parseCaseId } from "../ids/case-id.js";
import { parseRequestNumber } from "../ids/request-number.js";
import type { Actor, Platform } from "../model.js";
import { canSeeCase, canSeeRequest, isAdmin } from "../permissions.js";
import type { Subscription, SubscriptionTarget } from "../ports.js";

export interface SubscribeInput {
  actor: Actor;
  platform: Platform;
  conversationId: string;
  /** A 1:1 conversation with the bot: masked cases may be followed only there. */
  isPersonal: boolean;
  /** `BN-D-YAB` or `MA-2026-0007` as typed. */
  targetText: string;
}

const isMasked = (caseId: string) => caseId.startsWith(`${MASKED_CUSTOMER_CODE}-`);

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
    throw new AppError("INVALID_INPUT", `${caseIdProblem(text, parsed.message)}. A request id looks like MA-2026-0007.`);
  }
  const caseId = parsed.value.id;
  if (!canSeeCase(actor, caseId) || !(await deps.cases.find(caseId))) throw notFoundOrNotPermitted(`Case ${caseId}`);
  return { target: { type: "case", id: caseId }, label: caseId };
}

export async function subscribe(deps: CoreDeps, input: SubscribeInput): Promise<SubscribeResult> {
  const { target, label } = await resolveTarget(deps, input.actor, input.targetText);
  // A masked case is handled as Confidential: its reminders go to one faculty member, never a channel.
  if (target.type === "case" && isMasked(target.id) && !input.isPersonal) {
    throw new AppError("FORBIDDEN", `${label} is a masked case: follow it in a direct message with the bot, not in a channel.`);
  }
  const changed = await deps.subscriptions.add({
    platform: input.platform,
    conversationId: input.conversationId,
    target,
    createdById: input.actor.id,
  });
  return { target, label, changed };
}

/**
 * Stops a conversation's reminders for a record. Anyone who may subscribe may do it here;
 * an admin may name another conversation (`unsubscribe BN-D-YAB C0123`), for cleaning up.
 */
export async function unsubscribe(deps: CoreDeps, input: SubscribeInput & { otherConversation?: string }): Promise<SubscribeResult> {
  if (input.otherConversation && !isAdmin(input.actor)) {
    throw new AppError("FORBIDDEN", "Only an admin can stop reminders in another conversation.");
  }
  const { target, label } = await resolveTarget(deps, input.actor, input.targetText);
  const conversationId = input.otherConversation ?? input.conversationId;
  const changed = await deps.subscriptions.remove({ platform: input.platform, conversationId, target });
  return { target, label, changed };
}

/** This conversation's subscriptions, or every one for an admin who asks for all. */
export async function listSubscriptions(
  deps: CoreDeps,
  input: { actor: Actor; platform: Platform; conversationId: string; all: boolean },
): Promise<Subscription[]> {
  if (input.all && !isAdmin(input.actor)) throw new AppError("FORBIDDEN", "Only an admin can list every subscription.");
  return deps.subscriptions.list(input.all ? undefined : { platform: input.platform, conversationId: input.conversationId });
}

/**
 * Whether a subscription's reminders may still go out: the person who subscribed must
 * still be allowed to see the case or request (roles are revoked, people leave).
 */
export async function subscriberMaySee(deps: CoreDeps, subscription: Subscription): Promise<boolean> {
  const found = await deps.people.findPerson(subscription.createdById);
  if (!found) return false;
  const subscriber: Actor = { ...found.person, identityKey: found.person.identityKeys[0] ?? "", roles: found.roles };
  if (subscription.target.type === "case") return canSeeCase(subscriber, subscription.target.id);
  const request = await deps.requests.findById(subscription.target.id);
  return Boolean(request && canSeeRequest(subscriber, request));
}
