import { noticeView } from "../../chat/present.js";
import type { MessageView } from "../../chat/views.js";
import { errorSummary } from "../../logger.js";
import { bolt } from "../bolt.js";
import type { JsonText } from "../web-api.js";
import { type SlackListenerDeps, tellUser } from "./deps.js";

const { ErrorCode } = bolt.webApi;

/** Slack's `error` answers that mean Slack itself is struggling, not that our call was wrong. */
const SLACK_SIDE = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout"]);

/**
 * What to tell someone whose form did not open, by how views.open failed. `again` is how
 * they open it again (`/ma new`, or the button they pressed).
 */
export function modalFailureView(error: unknown, again: string): MessageView | undefined {
  const failed = error as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
  const slackError = failed?.data?.error;
  if (slackError === "expired_trigger_id") {
    return noticeView(`The form did not open: Slack allows only 3 seconds to open it, and that passed. Please ${again} again.`);
  }
  if (failed?.code === ErrorCode.RateLimitedError || slackError === "ratelimited") {
    const seconds = Math.max(1, Math.ceil(failed.retryAfter ?? 30));
    return noticeView(`Slack is limiting how fast forms open right now. Please wait ${seconds} seconds, then ${again} again.`);
  }
  const slackSide =
    (failed?.code === ErrorCode.HTTPError && (failed.statusCode ?? 0) >= 500) ||
    failed?.code === ErrorCode.RequestError ||
    (slackError !== undefined && SLACK_SIDE.has(slackError));
  if (slackSide)
    return noticeView(`Slack could not open the form just now (a problem on Slack's side). Please ${again} again in a minute.`);
  return undefined;
}

/**
 * Opens a modal; when Slack will not, tells the person why and what to do, through the
 * payload's response_url (or a DM when there is none, as from App Home). Slack's own
 * failures are logged as warnings; anything else is ours and reported.
 */
export async function openModal(
  deps: SlackListenerDeps,
  body: { trigger_id: string; view: unknown } | JsonText,
  who: { response_url?: string; user: { id: string } },
  again: string,
): Promise<void> {
  try {
    await deps.api.call("views.open", body as Record<string, unknown> | JsonText);
  } catch (error) {
    let view = modalFailureView(error, again);
    if (view) deps.log.warn({ err: errorSummary(error) }, "views.open failed");
    else {
      deps.interaction.report(error, { step: "views.open" });
      const contact = deps.contactEmail ? `, or write to ${deps.contactEmail}` : "";
      view = noticeView(`We could not open the form. Please ${again} again${contact}.`);
    }
    await tellUser(deps, who, view);
  }
}
