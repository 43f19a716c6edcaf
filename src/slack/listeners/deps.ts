import type { webApi } from "@slack/bolt";
import { answerError } from "../../chat/errors.js";
import type { InteractionDeps } from "../../chat/interactions/outcome.js";
import type { MessageView } from "../../chat/views.js";
import { identityKey } from "../../core/people/identity.js";
import type { IdentityInfo } from "../../core/ports.js";
import type { Logger } from "../../logger.js";
import { renderMessage } from "../blocks.js";

/** What every Slack listener gets. */
export interface SlackListenerDeps {
  interaction: InteractionDeps;
  client: webApi.WebClient;
  log: Logger;
  contactEmail?: string;
}

export function slackIdentity(user: { id: string; team_id?: string; name?: string }, teamId?: string): IdentityInfo {
  return { key: identityKey("slack", user.id), workspaceId: user.team_id ?? teamId, displayName: user.name };
}

/** Says something only the clicking user sees: in place when Slack gave a response_url, else by DM. */
export async function tellUser(deps: SlackListenerDeps, body: { response_url?: string; user: { id: string } }, view: MessageView) {
  const message = renderMessage(view);
  try {
    if (body.response_url) {
      const response = await fetch(body.response_url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ response_type: "ephemeral", replace_original: false, ...message }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw Object.assign(new Error("response_url refused"), { code: `http_${response.status}` });
      return;
    }
    await deps.client.chat.postMessage({ channel: body.user.id, ...message });
  } catch (error) {
    // The answer could not be shown: nothing changed because of it, so it is logged, not retried.
    answerError(error, deps.interaction.report, { step: "tell user" });
  }
}
