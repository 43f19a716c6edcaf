import { createHmac } from "node:crypto";

export const SIGNING_SECRET = "test-signing-secret-0123456789abcdef";

export function signature(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SignedOptions {
  timestamp?: number;
  secret?: string;
  headers?: Record<string, string>;
  /** Replace the computed signature (forgeries). */
  signature?: string;
}

/** POSTs a body to the bot as Slack does: form-encoded, signed with the signing secret. */
export async function postSigned(url: string, body: string, options: SignedOptions = {}): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": options.signature ?? signature(body, timestamp, options.secret),
      ...options.headers,
    },
    body,
  });
}

export function slashCommandBody(fields: {
  text: string;
  userId: string;
  userName?: string;
  channelId?: string;
  responseUrl: string;
}): string {
  return new URLSearchParams({
    token: "legacy",
    team_id: "T0TEAM",
    team_domain: "dau",
    channel_id: fields.channelId ?? "C0GENERAL",
    channel_name: "general",
    user_id: fields.userId,
    user_name: fields.userName ?? fields.userId.toLowerCase(),
    command: "/ma",
    text: fields.text,
    api_app_id: "A0APP",
    response_url: fields.responseUrl,
    trigger_id: `trigger.${Date.now()}.${Math.random().toString(36).slice(2)}`,
  }).toString();
}

export function payloadBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** The environment of a bot talking to a Slack stand-in on loopback, over its own database. */
export function slackTestEnv(databaseUrl: string, apiUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    PORT: "0",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_API_URL: `${apiUrl}/api/`,
    LOG_LEVEL: "silent",
    ...extra,
  };
}
