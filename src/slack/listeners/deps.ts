import { answerError } from "../../chat/errors.js";
import type { InteractionDeps } from "../../chat/interactions/outcome.js";
import { awaitProfile } from "../../chat/profile.js";
import type { MessageView } from "../../chat/views.js";
import { identityKey } from "../../core/people/identity.js";
import type { IdentityInfo } from "../../core/ports.js";
import type { Logger } from "../../logger.js";
import { renderMessage } from "../blocks.js";
import type { SlackContacts } from "../contacts.js";
import type { SlackApi } from "../web-api.js";

/** What every Slack listener gets. */
export interface SlackListenerDeps {
  interaction: InteractionDeps;
  api: SlackApi;
  log: Logger;
  /** Each user's Slack profile (zone, verified address), read after the ack at most weekly. */
  contacts: SlackContacts;
  contactEmail?: string;
  /** SLACK_API_URL: its host may also serve response URLs (GovSlack, the test stand-in). */
  apiUrl: string;
}

/** Slack's hosts for response URLs; anything else in a payload is not followed. */
const RESPONSE_HOSTS = ["hooks.slack.com", "hooks.slack-gov.com"];

/** A response_url we may POST to: https on Slack's hook hosts, or the origin of SLACK_API_URL. */
export function isTrustedResponseUrl(url: string, apiUrl: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === "https:" && RESPONSE_HOSTS.includes(parsed.hostname)) return true;
  return parsed.origin === new URL(apiUrl).origin;
}

export function slackIdentity(user: { id: string; team_id?: string; name?: string }, teamId?: string): IdentityInfo {
  return { key: identityKey("slack", user.id), workspaceId: user.team_id ?? teamId, displayName: user.name };
}

/**
 * Reads the user's Slack profile when it is due (weekly), after the ack: the answer that
 * follows shows instants in their zone. Bounded, so a slow Slack delays no answer for long.
 */
export function readProfile(deps: SlackListenerDeps, identity: IdentityInfo, userId: string): Promise<void> {
  return awaitProfile(deps.contacts.refresh(identity, userId));
}

/**
 * Replaces the message a button was clicked on (a reminder after Mark done), through the
 * payload's response_url; without a trusted one, the clicker is told instead.
 */
export async function replaceMessage(deps: SlackListenerDeps, body: { response_url?: string; user: { id: string } }, view: MessageView) {
  if (!body.response_url || !isTrustedResponseUrl(body.response_url, deps.apiUrl)) return tellUser(deps, body, view);
  try {
    await postToResponseUrl(body.response_url, { replace_original: true, ...renderMessage(view) });
  } catch (error) {
    // The change is made and stored; only its drawing failed, so it is logged, not retried.
    answerError(error, deps.interaction.report, { step: "replace message" });
  }
}

/** One POST to a response_url already checked as trusted; a refusal throws. */
async function postToResponseUrl(url: string, payload: object): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new ResponseUrlRefusedError(response.status);
}

/**
 * Answers the person who acted: through the payload's response_url when it is one of
 * Slack's (ephemeral, or in the channel when `inChannel`), else by DM.
 */
export async function tellUser(
  deps: SlackListenerDeps,
  body: { response_url?: string; user: { id: string } },
  view: MessageView,
  inChannel = false,
) {
  const message = renderMessage(view);
  try {
    if (body.response_url && isTrustedResponseUrl(body.response_url, deps.apiUrl)) {
      await postToResponseUrl(body.response_url, {
        response_type: inChannel ? "in_channel" : "ephemeral",
        replace_original: false,
        ...message,
      });
      return;
    }
    await deps.api.call("chat.postMessage", { channel: body.user.id, ...message });
  } catch (error) {
    // The answer could not be shown: nothing changed because of it, so it is logged, not retried.
    answerError(error, deps.interaction.report, { step: "tell user" });
  }
}

/** Slack refused a reply posted to an interaction's response_url. */
export class ResponseUrlRefusedError extends Error {
  readonly kind = "RESPONSE_URL_REFUSED";
  constructor(readonly status: number) {
    super(`response_url refused: HTTP ${status}`);
    this.name = "ResponseUrlRefusedError";
  }
}
