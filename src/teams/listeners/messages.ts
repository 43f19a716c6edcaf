import type { Application, TurnState } from "@microsoft/teams-ai";
import { ActivityTypes } from "botbuilder";
import { parseCommand } from "../../chat/commands.js";
import { handleCommand } from "../../chat/handle-command.js";
import { helpView } from "../../chat/help.js";
import { awaitProfile } from "../../chat/profile.js";
import { cardActivity, formActivity } from "../cards.js";
import { isPersonal, storedReference, teamsIdentity } from "../conversations.js";
import type { TeamsListenerDeps } from "./deps.js";

const CHANNEL_NOTE = "I sent you the answer in our private chat.";

/** Typed commands, and the hello when the bot is added to a 1:1 chat. */
export function register(app: Application<TurnState>, deps: TeamsListenerDeps): void {
  app.conversationUpdate("membersAdded", async (context) => {
    await deps.conversations.remember(context);
    const botAdded = (context.activity.membersAdded ?? []).some((member) => member.id === context.activity.recipient.id);
    if (botAdded && isPersonal(context.activity)) {
      await context.sendActivity(
        cardActivity(helpView({ prefix: "", contactEmail: deps.contactEmail, lead: "Hello! I'm Mission Assist." })),
      );
    }
  });

  app.activity(ActivityTypes.Message, async (context) => {
    const { activity } = context;
    // Teams re-sends a turn it thinks timed out: answer each activity once. Activity ids are
    // unique within a conversation only, so the key names both.
    const key = `teams:activity:${activity.conversation.id}:${activity.id}`;
    if (!(await deps.deliveries.firstTime(key, deps.interaction.core.clock.now()))) return;
    await deps.conversations.remember(context);
    const personal = isPersonal(activity);
    // Weekly at most: their directory address, so mailed requests join their list.
    await awaitProfile(deps.contacts.refresh(context));
    const reply = await handleCommand(deps.interaction, teamsIdentity(activity), parseCommand(activity.text ?? ""), {
      platform: "teams",
      conversationId: storedReference(activity).conversationId,
      isPersonal: personal,
      prefix: "",
      contactEmail: deps.contactEmail,
    });
    const outgoing = reply.kind === "form" ? formActivity(reply.form) : cardActivity(reply.view);
    // Teams has no message only one person sees: confidential answers (requests, cases)
    // asked in a channel go to the person's 1:1 chat, and a form opens there too.
    if (personal || (reply.kind === "message" && !reply.confidential)) {
      await context.sendActivity(outgoing);
      return;
    }
    await deps.conversations.sendPrivately(context, outgoing);
    await context.sendActivity(CHANNEL_NOTE);
  });
}
