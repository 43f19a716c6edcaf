import type { webApi } from "@slack/bolt";
import type { ChatChannel, DeliveryFailure } from "../chat/channel.js";
import { parseIdentityKey } from "../core/people/identity.js";
import { renderMessage } from "./blocks.js";
import { SLASH_COMMAND } from "./ids.js";

/** Slack errors that no retry will fix: the channel or the bot's access is gone. */
const PERMANENT_SLACK_ERRORS = new Set([
  "channel_not_found",
  "is_archived",
  "not_in_channel",
  "account_inactive",
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "token_expired",
  "user_not_found",
  "cannot_dm_bot",
  "restricted_action",
  "msg_too_long",
  "invalid_blocks",
]);

/** Sorts a failed Web API call by the WebClient's error codes and Slack's `error` field. */
export function classifySlackError(error: unknown): DeliveryFailure {
  const coded = error as { code?: string; retryAfter?: number; data?: { error?: string } };
  if (coded?.code === "slack_webapi_rate_limited_error") return { kind: "rateLimited", retryAfterMs: (coded.retryAfter ?? 1) * 1000 };
  const reason = coded?.data?.error ?? coded?.code ?? "unknown";
  if (coded?.code === "slack_webapi_platform_error" && PERMANENT_SLACK_ERRORS.has(reason)) return { kind: "permanent", reason };
  return { kind: "transient", reason };
}

/** Posts never unfurl: a link typed into a form must not grow a preview in the triage channel. */
const QUIET = { unfurl_links: false, unfurl_media: false } as const;

/** The Slack side of the outbox: what the dispatcher calls to post, update and DM. */
export function createSlackChannel(client: webApi.WebClient, triageChannel: string | undefined): ChatChannel {
  return {
    platform: "slack",
    commandPrefix: `${SLASH_COMMAND} `,
    classifyError: classifySlackError,
    configuredTriageChannel: triageChannel,
    sendDirect: async (identityKey, view) => {
      await client.chat.postMessage({ channel: parseIdentityKey(identityKey)?.userId ?? "", ...renderMessage(view), ...QUIET });
    },
    postCard: async (conversationId, view) => {
      const result = await client.chat.postMessage({ channel: conversationId, ...renderMessage(view), ...QUIET });
      return String(result.ts ?? "");
    },
    updateCard: async (ref, view) => {
      await client.chat.update({ channel: ref.conversationId, ts: ref.messageId, ...renderMessage(view) });
    },
  };
}
