import type { ChatChannel } from "../chat/channel.js";
import { cardActivity } from "./cards.js";
import type { Conversations } from "./conversations.js";
import { classifyTeamsError } from "./errors.js";

/** The Teams side of the outbox: proactive posts, updates and 1:1 messages through stored references. */
export function createTeamsChannel(conversations: Conversations): ChatChannel {
  return {
    platform: "teams",
    commandPrefix: "",
    classifyError: classifyTeamsError,
    sendDirect: (identityKey, view) => conversations.sendToPerson(identityKey, cardActivity(view)),
    postCard: (conversationId, view) => conversations.send(conversationId, cardActivity(view)),
    updateCard: (ref, view) => conversations.update(ref.conversationId, { ...cardActivity(view), id: ref.messageId }),
    replyToCard: async (ref, view) => {
      await conversations.send(ref.conversationId, cardActivity(view), { thread: ref.messageId });
    },
  };
}
