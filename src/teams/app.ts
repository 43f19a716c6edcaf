import { AdaptiveCardActionExecuteResponseType, Application, type TurnState } from "@microsoft/teams-ai";
import type { ChatChannel } from "../chat/channel.js";
import type { InteractionDeps } from "../chat/interactions/outcome.js";
import { realSleep, type Sleep } from "../core/clock.js";
import type { ConversationStore, DeliveryLog } from "../core/ports.js";
import { errorSummary, type Logger } from "../logger.js";
import type { ActivityPolicy } from "./activity-policy.js";
import { type BotFrameworkOptions, createActivityAdapter } from "./bot-framework.js";
import { createTeamsContacts } from "./contacts.js";
import { createConversations } from "./conversations.js";
import * as cards from "./listeners/cards.js";
import * as messages from "./listeners/messages.js";
import { type MessagesHandler, messagesHandler } from "./messages-route.js";
import { createTeamsChannel } from "./outbound.js";

export interface TeamsOptions extends BotFrameworkOptions {
  contactEmail?: string;
  /** With Bot Framework credentials, or local mode (no credentials, this machine only). */
  mode: ActivityPolicy["mode"];
  /** The tenants a MultiTenant app serves. */
  allowedTenants: string[];
}

export interface TeamsDeps {
  interaction: InteractionDeps;
  conversations: ConversationStore;
  deliveries: DeliveryLog;
  logger: Logger;
  options: TeamsOptions;
  sleep?: Sleep;
}

export interface TeamsAdapterHandle {
  handle: MessagesHandler;
  channel: ChatChannel;
  app: Application<TurnState>;
}

/** The teams-ai application behind POST /api/messages, and the Teams side of the outbox. */
export function createTeamsAdapter(deps: TeamsDeps): TeamsAdapterHandle {
  const { options } = deps;
  const log = deps.logger.child({ component: "teams" });
  const appId = options.appId ?? "";
  const adapter = createActivityAdapter(options);
  const app = new Application<TurnState>({
    adapter,
    botAppId: appId,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
    adaptiveCards: { actionExecuteResponseType: AdaptiveCardActionExecuteResponseType.REPLACE_FOR_INTERACTOR },
  });
  const conversations = createConversations(adapter, appId, deps.conversations, deps.sleep ?? realSleep);
  const listenerDeps = {
    interaction: deps.interaction,
    conversations,
    deliveries: deps.deliveries,
    log,
    contacts: createTeamsContacts({ people: deps.interaction.core.people, clock: deps.interaction.core.clock, log }),
    contactEmail: options.contactEmail,
  };
  messages.register(app, listenerDeps);
  cards.register(app, listenerDeps);
  app.error(async (_context, error) => {
    log.error({ err: errorSummary(error) }, "teams turn failed");
  });
  const policy: ActivityPolicy = {
    mode: options.mode,
    cloud: options.cloud,
    tenantId: options.tenantId,
    allowedTenants: options.allowedTenants,
  };
  const handle = messagesHandler(adapter, policy, (context) => app.run(context).then(() => undefined), log);
  return { handle, channel: createTeamsChannel(conversations), app };
}
