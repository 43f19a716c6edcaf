import type { ChatChannel, DeliveryFailure } from "../chat/channel.js";
import { cardActivity } from "./cards.js";
import type { Conversations } from "./conversations.js";
import { retryAfterMs, statusOf } from "./retry.js";

/** Teams answers that no retry will fix: the bot was removed, or there is nowhere to write. */
export function classifyTeamsError(error: unknown): DeliveryFailure {
  const status = statusOf(error);
  if (status === 429) return { kind: "rateLimited", retryAfterMs: retryAfterMs(error) ?? 1000 };
  if (status === 403) return { kind: "permanent", reason: "bot removed or blocked (403)" };
  if (status === 404) return { kind: "permanent", reason: "conversation not found (404)" };
  if ((error as { code?: string })?.code === "no_conversation") return { kind: "permanent", reason: (error as Error).message };
  return { kind: "transient", reason: status ? `HTTP ${status}` : ((error as Error)?.name ?? "error") };
}

/** The Teams side of the outbox: proactive posts, updates and 1:1 messages through stored references. */
export function createTeamsChannel(conversations: Conversations): ChatChannel {
  return {
    platform: "teams",
    commandPrefix: "",
    classifyError: classifyTeamsError,
    sendDirect: async (identityKey, view) => {
      await conversations.inPersonalChat(identityKey, async (context) => {
        await context.sendActivity(cardActivity(view));
      });
    },
    postCard: async (conversationId, view) => {
      let id = "";
      await conversations.inConversation(conversationId, async (context) => {
        id = (await context.sendActivity(cardActivity(view)))?.id ?? "";
      });
      return id;
    },
    updateCard: async (ref, view) => {
      await conversations.inConversation(ref.conversationId, async (context) => {
        await context.updateActivity({ ...cardActivity(view), id: ref.messageId });
      });
    },
  };
}
