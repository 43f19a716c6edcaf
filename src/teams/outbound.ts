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
    sendDirect: async (identityKey, view) => {
      const ref = { conversationId: "", messageId: "" };
      await conversations.inPersonalChat(identityKey, async (context) => {
        ref.messageId = (await context.sendActivity(cardActivity(view)))?.id ?? "";
        ref.conversationId = context.activity.conversation.id;
      });
      return ref;
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
    replyToCard: async (ref, view) => {
      await conversations.inConversation(
        ref.conversationId,
        async (context) => {
          await context.sendActivity(cardActivity(view));
        },
        { thread: ref.messageId },
      );
    },
  };
}
