import type { webApi } from "@slack/bolt";
import type { ChatChannel, DeliveryFailure } from "../chat/channel.js";
import { parseIdentityKey } from "../core/people/identity.js";
import { renderMessage } from "./blocks.js";
import { bolt } from "./bolt.js";
import { SLASH_COMMAND } from "./ids.js";
import type { SlackApi } from "./web-api.js";

/** Slack's answers that mean the token itself is wrong, not that Slack is down. */
const TOKEN_REFUSED = new Set(["invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"]);

/** Slack errors that no retry will fix: the token, the channel or the bot's access is gone. */
const PERMANENT_SLACK_ERRORS = new Set([
  ...TOKEN_REFUSED,
  "channel_not_found",
  "is_archived",
  "not_in_channel",
  "user_not_found",
  "cannot_dm_bot",
  "restricted_action",
  "msg_too_long",
  "invalid_blocks",
]);

/** The error code when Slack refused the token (invalid_auth, token_revoked, …); undefined for anything else. */
export function refusedTokenCode(error: unknown): string | undefined {
  const code = (error as { data?: { error?: string } } | undefined)?.data?.error ?? "";
  return TOKEN_REFUSED.has(code) ? code : undefined;
}

/**
 * A Web API client that fails within `timeoutMs` and never retries by itself: no silent
 * 30-minute retry storms, and no second post (chat.postMessage has no idempotency key);
 * the outbox and the token watch retry instead.
 */
export function createWebClient(options: { botToken: string; apiUrl: string; timeoutMs: number; logger?: webApi.Logger }) {
  return new bolt.webApi.WebClient(options.botToken, {
    slackApiUrl: options.apiUrl,
    timeout: options.timeoutMs,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    ...(options.logger ? { logger: options.logger } : { logLevel: bolt.webApi.LogLevel.ERROR }),
  });
}

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
export function createSlackChannel(api: SlackApi, triageChannel: string | undefined): ChatChannel {
  return {
    platform: "slack",
    commandPrefix: `${SLASH_COMMAND} `,
    classifyError: classifySlackError,
    configuredTriageChannel: triageChannel,
    sendDirect: async (identityKey, view) => {
      const result = await api.call("chat.postMessage", {
        channel: parseIdentityKey(identityKey)?.userId ?? "",
        ...renderMessage(view),
        ...QUIET,
      });
      // Posting to a user id lands in the bot's DM with them: the answer names that channel.
      return { conversationId: String(result.channel ?? ""), messageId: String(result.ts ?? "") };
    },
    postCard: async (conversationId, view) => {
      const result = await api.call("chat.postMessage", { channel: conversationId, ...renderMessage(view), ...QUIET });
      return String(result.ts ?? "");
    },
    updateCard: async (ref, view) => {
      await api.call("chat.update", { channel: ref.conversationId, ts: ref.messageId, ...renderMessage(view) });
    },
    replyToCard: async (ref, view) => {
      await api.call("chat.postMessage", { channel: ref.conversationId, thread_ts: ref.messageId, ...renderMessage(view), ...QUIET });
    },
  };
}
