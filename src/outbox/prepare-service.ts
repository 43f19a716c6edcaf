import { digestView, nudgeView } from "../chat/present-service.js";
import type { CoreDeps } from "../core/deps.js";
import { OPEN_REQUEST_STATUSES } from "../core/domain.js";
import { identityOfAddress } from "../core/people/identity.js";
import type { OutboxRow } from "../core/ports.js";
import { buildDigest, isEmptyDigest } from "../core/service-levels/digest.js";
import { type NudgeBody, serviceClockOf } from "../core/service-levels/policy.js";
import { idOf, type Plan } from "./prepare.js";

/** A service-level nudge, unless the request has left the stage it was owed for. */
export async function prepareNudge(core: CoreDeps, row: OutboxRow): Promise<Plan> {
  const request = await core.requests.findById(idOf(row.subjectKey));
  if (!request) return { cancel: "request removed" };
  const body = JSON.parse(row.body) as NudgeBody;
  if (request.status !== body.stage || request.statusSince.toISOString() !== body.since) {
    return { cancel: "the request moved on" };
  }
  const identityKey = identityOfAddress(row.conversationId);
  const card = identityKey ? undefined : await core.triageCards.find(request.id, row.platform);
  return {
    send: async (channel) => {
      const view = nudgeView(request, body, channel.commandPrefix, core.timeZone);
      if (identityKey) await channel.sendDirect(identityKey, view);
      // Under the request's own card (a thread reply), where faculty act on it.
      else if (card && card.conversationId === row.conversationId) await channel.replyToCard(card, view);
      else await channel.postCard(row.conversationId, view);
    },
  };
}

/** The triage channel's digest of the day, drawn from the requests as they are now. */
export async function prepareDigest(core: CoreDeps, row: OutboxRow): Promise<Plan> {
  const digest = buildDigest(await core.requests.listByStatus(OPEN_REQUEST_STATUSES), row.body, serviceClockOf(core));
  if (isEmptyDigest(digest)) return { cancel: "nothing to say" };
  return {
    send: async (channel) => {
      await channel.postCard(row.conversationId, digestView(digest, channel.commandPrefix));
    },
  };
}
