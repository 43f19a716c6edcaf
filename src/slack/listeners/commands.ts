import type { App } from "@slack/bolt";
import { parseCommand } from "../../chat/commands.js";
import { answerError } from "../../chat/errors.js";
import { requestFormView } from "../../chat/forms.js";
import { commandLimitReached, handleCommand } from "../../chat/handle-command.js";
import { renderModal } from "../blocks.js";
import { SLASH_COMMAND } from "../ids.js";
import { jsonBody } from "../web-api.js";
import { readProfile, type SlackListenerDeps, slackIdentity, tellUser } from "./deps.js";
import { openModal } from "./modals.js";

/** The empty request form never changes: rendered and serialised once, not on every `/ma new`. */
const BLANK_REQUEST_MODAL = JSON.stringify(renderModal(requestFormView()));

/** views.open's body for the blank request form: only the trigger id is new each time. */
export const openBlankRequestForm = (triggerId: string) => jsonBody({ trigger_id: triggerId }, "view", BLANK_REQUEST_MODAL);

/** How someone whose form did not open opens it again. */
const AGAIN_NEW = `run \`${SLASH_COMMAND} new\``;
const AGAIN = "run the same command";

/** Commands whose meaning depends on whether they were typed in the person's own DM with the bot. */
const WHERE_MATTERS = new Set(["subscribe", "unsubscribe", "subscriptions", "triage-here"]);

/**
 * Whether a command came from the bot's own DM with this user. A `D…` id or channel_name
 * "directmessage" is any direct message, also one between two people (a slash command works
 * there, and both read the answer), so Slack is asked for the bot's DM with the user
 * (conversations.open, im:write) and the ids compared. When Slack cannot say: not private.
 */
async function isOwnDmWithBot(deps: SlackListenerDeps, userId: string, channelId: string): Promise<boolean> {
  if (!channelId.startsWith("D")) return false;
  try {
    const answer = await deps.api.call("conversations.open", { users: userId });
    return (answer.channel as { id?: string } | undefined)?.id === channelId;
  } catch (error) {
    answerError(error, deps.interaction.report, { step: "conversations.open" });
    return false;
  }
}

/** `/ma <words>`: ack at once (Slack's 3 s), then answer through response_url. */
export function register(app: App, deps: SlackListenerDeps): void {
  app.command(SLASH_COMMAND, async ({ command, ack }) => {
    await ack();
    const parsed = parseCommand(command.text);
    const who = { response_url: command.response_url, user: { id: command.user_id } };
    const identity = slackIdentity({ id: command.user_id, name: command.user_name }, command.team_id);
    const limited = parsed.kind === "new" ? commandLimitReached(deps.interaction, identity, parsed) : undefined;
    if (limited) {
      await tellUser(deps, who, limited);
      return;
    }
    if (parsed.kind === "new") {
      // trigger_id expires 3 s after Slack sent it: open the modal before any database work.
      // Nothing else: the blank form shows no instant, so the Slack profile (zone, address) is
      // read where one is drawn (the other commands, App Home, a click), not on every form opened.
      await openModal(deps, openBlankRequestForm(command.trigger_id), who, AGAIN_NEW);
      return;
    }
    // After the ack and the modal (trigger_id expires): the answer shows instants in their zone.
    await readProfile(deps, identity, command.user_id);
    const reply = await handleCommand(deps.interaction, identity, parsed, {
      platform: "slack",
      conversationId: command.channel_id,
      isPersonal: WHERE_MATTERS.has(parsed.kind) && (await isOwnDmWithBot(deps, command.user_id, command.channel_id)),
      prefix: `${SLASH_COMMAND} `,
      contactEmail: deps.contactEmail,
    });
    if (reply.kind === "form") {
      await openModal(deps, { trigger_id: command.trigger_id, view: renderModal(reply.form) }, who, AGAIN);
      return;
    }
    await tellUser(deps, who, reply.view, reply.visibility === "channel");
  });
}
