import type { CoreDeps } from "../deps.js";
import { AppError, notFoundOrNotPermitted } from "../errors.js";
import { caseIdProblem, parseCaseId } from "../ids/case-id.js";
import { parseRequestNumber } from "../ids/request-number.js";
import type { Actor, Platform } from "../model.js";
import { directAddress, identityOfAddress } from "../people/identity.js";
import { canSeeCase, canSeeRequest, isAdmin, isFaculty, isMaskedCaseId, maySubscribe } from "../permissions.js";
import type { Subscription, SubscriptionTarget } from "../ports.js";

export interface SubscribeInput {
  actor: Actor;
  platform: Platform;
  conversationId: string;
  /**
   * The bot's own 1:1 conversation with the actor (Slack: their DM with the bot, not any
   * DM; Teams: personal scope). Reminders there go to that person only, so case-viewers
   * and requesters may subscribe there, and masked cases may be followed only there.
   */
  isPersonal: boolean;
  /** `BN-D-YAB` or `MA-2026-0007` as typed. */
  targetText: string;
}

/**
 * Where a subscription's reminders go: a channel by its id, a person's 1:1 chat by their
 * address (`@slack:U…`), so the reminder is sent to that person only, whatever chat id it arrived from.
 */
function placeOf(input: SubscribeInput): { conversationId: string; place: "channel" | "personal" } {
  return input.isPersonal
    ? { conversationId: directAddress(input.actor.identityKey), place: "personal" }
    : { conversationId: input.conversationId, place: "channel" };
}

const CHANNEL_FOR_FACULTY =
  "Only faculty can have reminders posted in a channel (everyone in it would read them). To get them yourself, subscribe in your direct message with the bot.";

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
  const { conversationId, place } = placeOf(input);
  // A masked case is handled as Confidential: its reminders go to one faculty member, never a channel.
  if (target.type === "case" && isMaskedCaseId(target.id) && place === "channel") {
    throw new AppError("FORBIDDEN", `${label} is a masked case: follow it in a direct message with the bot, not in a channel.`);
  }
  if (!maySubscribe(input.actor, place, true)) throw new AppError("FORBIDDEN", CHANNEL_FOR_FACULTY);
  const changed = await deps.subscriptions.add({ platform: input.platform, conversationId, target, createdById: input.actor.id });
  return { target, label, changed };
}

/**
 * Stops a conversation's reminders for a record. Anyone who may subscribe there may do it,
 * but a subscription faculty made only faculty may stop; an admin may name another
 * conversation (`unsubscribe BN-D-YAB in C0123`), for cleaning up.
 */
export async function unsubscribe(deps: CoreDeps, input: SubscribeInput & { otherConversation?: string }): Promise<SubscribeResult> {
  if (input.otherConversation && !isAdmin(input.actor)) {
    throw new AppError("FORBIDDEN", "Only an admin can stop reminders in another conversation.");
  }
  const { target, label } = await resolveTarget(deps, input.actor, input.targetText);
  const here = placeOf(input);
  const conversationId = input.otherConversation ?? here.conversationId;
  if (!input.otherConversation && !maySubscribe(input.actor, here.place, true)) {
    throw new AppError("FORBIDDEN", "Only faculty can stop a channel's reminders.");
  }
  const key = { platform: input.platform, conversationId, target };
  const existing = await deps.subscriptions.find(key);
  if (existing && !isFaculty(input.actor) && (await madeByFaculty(deps, existing.createdById))) {
    throw new AppError("FORBIDDEN", "Faculty set up these reminders: only faculty can stop them.");
  }
  const changed = existing ? await deps.subscriptions.remove(key) : false;
  return { target, label, changed };
}

async function madeByFaculty(deps: CoreDeps, personId: string): Promise<boolean> {
  const found = await deps.people.findPerson(personId);
  return Boolean(found && isFaculty({ ...found.person, identityKey: "", roles: found.roles }));
}

/** This conversation's subscriptions, or every one for an admin who asks for all. */
export async function listSubscriptions(
  deps: CoreDeps,
  input: { actor: Actor; platform: Platform; conversationId: string; isPersonal: boolean; all: boolean },
): Promise<Subscription[]> {
  if (input.all && !isAdmin(input.actor)) throw new AppError("FORBIDDEN", "Only an admin can list every subscription.");
  const conversationId = input.isPersonal ? directAddress(input.actor.identityKey) : input.conversationId;
  const list = await deps.subscriptions.list(input.all ? undefined : { platform: input.platform, conversationId });
  // A masked case's id is shown only to someone who may see the case, even in a list of ids.
  return list.filter((item) => item.target.type !== "case" || !isMaskedCaseId(item.target.id) || canSeeCase(input.actor, item.target.id));
}

/**
 * Whether a subscription's reminders may still go out: the person who subscribed must
 * still be allowed to see the case or request (roles are revoked, people leave), and a
 * channel's must still be faculty's (one a case-viewer made before only faculty could stops).
 */
export async function subscriberMaySee(deps: CoreDeps, subscription: Subscription): Promise<boolean> {
  const found = await deps.people.findPerson(subscription.createdById);
  if (!found) return false;
  const subscriber: Actor = { ...found.person, identityKey: found.person.identityKeys[0] ?? "", roles: found.roles };
  const place = identityOfAddress(subscription.conversationId) ? "personal" : "channel";
  if (subscription.target.type === "case") return maySubscribe(subscriber, place, canSeeCase(subscriber, subscription.target.id));
  const request = await deps.requests.findById(subscription.target.id);
  return maySubscribe(subscriber, place, Boolean(request && canSeeRequest(subscriber, request)));
}
