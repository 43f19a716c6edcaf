import type { RequestListener } from "node:http";
import type { ChatChannel } from "../chat/channel.js";
import { answerHttpError } from "../http/errors.js";
import type { TeamsAdapterHandle, TeamsDeps } from "./app.js";
import { classifyTeamsError } from "./errors.js";
import { MESSAGES_PATH } from "./ids.js";
import { isMessagesRequest } from "./messages-route.js";

/**
 * Teams, loaded on first use: botbuilder and teams-ai take about 90 MB and half a second
 * to load, so a bot nobody has talked to on Teams yet (the local Playground mode, a
 * Slack-first deployment) does not carry them. The first activity, or the first message
 * owed to a Teams user, loads the real adapter; everything after goes straight to it.
 */
export function createLazyTeamsAdapter(deps: TeamsDeps): {
  /** POST /api/messages ahead of `next` (the Express app, for every other route). */
  route: (next: RequestListener) => RequestListener;
  channel: ChatChannel;
} {
  let loading: Promise<TeamsAdapterHandle> | undefined;
  const adapter = () => {
    loading ??= import("./app.js").then(({ createTeamsAdapter }) => createTeamsAdapter(deps));
    return loading;
  };
  const route = (next: RequestListener): RequestListener => {
    return (req, res) => {
      if (!isMessagesRequest(req)) {
        next(req, res);
        return;
      }
      adapter().then(
        (teams) => teams.handle(req, res),
        (error: unknown) => answerHttpError(res, error, deps.logger.child({ component: "http" }), MESSAGES_PATH),
      );
    };
  };
  const channel: ChatChannel = {
    platform: "teams",
    commandPrefix: "",
    classifyError: classifyTeamsError,
    sendDirect: async (identityKey, view) => (await adapter()).channel.sendDirect(identityKey, view),
    postCard: async (conversationId, view) => (await adapter()).channel.postCard(conversationId, view),
    updateCard: async (ref, view) => (await adapter()).channel.updateCard(ref, view),
    replyToCard: async (ref, view) => (await adapter()).channel.replyToCard(ref, view),
  };
  return { route, channel };
}
