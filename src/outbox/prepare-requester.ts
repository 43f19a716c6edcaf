import { readerZone } from "../chat/format.js";
import { receivedCardView } from "../chat/present.js";
import type { MessageView } from "../chat/views.js";
import { identityOfAddress } from "../core/people/identity.js";
import type { OutboxRow } from "../core/ports.js";
import { idOf, type Plan, type PrepareDeps } from "./prepare.js";

/**
 * The requester's "received" card: sent like a notice, and where it landed is recorded, so
 * later moves can redraw it with the moves the requester may still make.
 */
export function postRequesterCard(deps: PrepareDeps, row: OutboxRow): Plan {
  const identityKey = identityOfAddress(row.conversationId);
  if (!identityKey) return { cancel: "not a direct message" };
  const view = JSON.parse(row.body) as MessageView;
  return {
    send: async (channel) => {
      const ref = await channel.sendDirect(identityKey, view, { outboxId: row.id, subjectKey: row.subjectKey });
      if (!ref?.messageId) return;
      return () =>
        deps.core.requesterCards.recordPosted(idOf(row.subjectKey), { platform: row.platform, ...ref, drawnVersion: row.version });
    },
  };
}

/** Redraws the requester's card from the request as it is now: Withdraw and Edit go once faculty have triaged it. */
export async function redrawRequesterCard(deps: PrepareDeps, row: OutboxRow): Promise<Plan> {
  const { requests, requesterCards, outbox } = deps.core;
  const request = await requests.findById(idOf(row.subjectKey));
  if (!request) return { cancel: "request removed" };
  if (request.version > row.version && (await outbox.hasNewer(row))) return { cancel: "superseded by a newer version" };
  const card = await requesterCards.find(request.id, row.platform);
  if (!card) {
    if (await outbox.hasOpen(row.subjectKey, "requester-card", row.platform)) return { wait: "requester card not sent yet" };
    return { cancel: "no requester card to redraw" };
  }
  if (card.drawnVersion >= request.version) return { cancel: "the card already shows this version" };
  return {
    send: async (channel) => {
      await channel.updateCard(card, receivedCardView(request, readerZone(request.requester, deps.timeZone)));
      await requesterCards.recordRedrawn(request.id, { ...card, drawnVersion: request.version });
    },
  };
}
