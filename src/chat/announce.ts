import type { CoreDeps } from "../core/deps.js";
import type { MaRequest, PersonRef, Platform } from "../core/model.js";
import type { TriageCardRef, TriageCardStore } from "../core/ports.js";
import { availableMoves } from "../core/requests/workflow.js";
import { getTriageChannel } from "../core/triage/triage-channel.js";
import { requesterCardView, triageCardView } from "./present.js";
import type { MessageView } from "./views.js";

/**
 * What each chat platform offers the shared announcement flow. A request filed in Slack
 * still reaches faculty who triage in Teams, and a requester is told on the platform
 * their identity belongs to.
 */
/** How a failed send should be treated by the reminder delivery. */
export type DeliveryFailure =
  | { kind: "rateLimited"; retryAfterMs: number }
  | { kind: "permanent"; reason: string }
  | { kind: "transient"; reason: string };

export interface ChatChannel {
  platform: Platform;
  /** How commands are typed here, for "type … for details" hints: "/ma " or "". */
  commandPrefix: string;
  /** The triage channel configured outside the database (SLACK_TRIAGE_CHANNEL). */
  configuredTriageChannel?: string;
  /** Sends a direct message to one identity of this platform (`slack:U…`). */
  sendDirect(identityKey: string, view: MessageView): Promise<void>;
  /** Posts a card in a channel; returns the message id. */
  postCard(conversationId: string, view: MessageView): Promise<string>;
  updateCard(ref: TriageCardRef, view: MessageView): Promise<void>;
  /** Sorts a failed send into rate-limited, permanent (channel gone, bot removed) or transient. */
  classifyError(error: unknown): DeliveryFailure;
}

export interface AnnounceDeps {
  core: CoreDeps;
  triageCards: TriageCardStore;
  channels: ChatChannel[];
  /** Failures here never undo the request; they are logged with ids only. */
  onError(error: unknown, context: Record<string, string>): void;
}

/** Tells each person on the platforms of their identities. */
export async function notifyPeople(deps: AnnounceDeps, people: PersonRef[], view: MessageView): Promise<void> {
  for (const person of people) {
    for (const identityKey of person.identityKeys) {
      const channel = deps.channels.find((candidate) => identityKey.startsWith(`${candidate.platform}:`));
      if (!channel) continue;
      await channel.sendDirect(identityKey, view).catch((error) => deps.onError(error, { step: "direct message", identityKey }));
    }
  }
}

/**
 * Posts a new request's triage card in every platform's triage channel, once: the card
 * store's claim makes a retried submission skip the post.
 */
export async function postTriageCards(deps: AnnounceDeps, request: MaRequest): Promise<void> {
  for (const channel of deps.channels) {
    const conversationId = await getTriageChannel(deps.core, channel.platform, channel.configuredTriageChannel);
    if (!conversationId) continue;
    if (!(await deps.triageCards.claim(request.id, channel.platform, conversationId))) continue;
    try {
      const messageId = await channel.postCard(conversationId, triageCardView(request));
      await deps.triageCards.record(request.id, { platform: channel.platform, conversationId, messageId });
    } catch (error) {
      await deps.triageCards.release(request.id, channel.platform).catch(() => {});
      deps.onError(error, { step: "post triage card", request: request.number, platform: channel.platform });
    }
  }
}

/** Redraws a request's triage cards wherever they were posted. */
export async function refreshTriageCards(deps: AnnounceDeps, request: MaRequest, lastChange?: string): Promise<void> {
  const view = triageCardView(request, lastChange);
  for (const ref of await deps.triageCards.find(request.id)) {
    const channel = deps.channels.find((candidate) => candidate.platform === ref.platform);
    if (!channel) continue;
    await channel.updateCard(ref, view).catch((error) => deps.onError(error, { step: "update triage card", request: request.number }));
  }
}

/** After a new request is stored: confirm to the requester, post for triage. */
export async function announceNewRequest(deps: AnnounceDeps, request: MaRequest): Promise<void> {
  const moves = availableMoves({ ...request.requester, identityKey: "", roles: [] }, request);
  await notifyPeople(
    deps,
    [request.requester],
    requesterCardView(request, `Your Mission Assistance request ${request.number} was received.`, moves),
  );
  await postTriageCards(deps, request);
}

/** After a workflow move: redraw the cards and tell the people concerned. */
export async function announceMove(deps: AnnounceDeps, request: MaRequest, summary: string, notify: PersonRef[]): Promise<void> {
  await refreshTriageCards(deps, request, summary);
  for (const person of notify) {
    const moves = availableMoves({ ...person, identityKey: "", roles: [] }, request);
    await notifyPeople(deps, [person], requesterCardView(request, `${request.number}: ${summary}`, moves));
  }
}
