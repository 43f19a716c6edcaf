import { type Activity, ActivityEx, ActivityTypes, type ConversationReference, TurnContext } from "botbuilder";
import type { ActivityAdapter } from "./bot-framework.js";

type ConnectorClient = Awaited<ReturnType<ActivityAdapter["connectorClient"]>>;

/** Bot Connector addresses kept with their client; Teams uses a handful per cloud. */
const MAX_CLIENTS = 32;

/**
 * Proactive sends and updates (what the outbox posts, redraws and DMs) through one Bot
 * Connector client per service address, made once. botbuilder's continueConversationAsync
 * builds a connector factory, credentials, a ConnectorClient with its whole HTTP pipeline and
 * a user-token client for every call, and runs a turn around the send: about half of a
 * proactive send's CPU. The request is the one that turn would make, built with botbuilder's
 * own helpers (addressed from the continuation activity's reference, so a send is a reply to
 * it, as there); test/teams/proactive-contract.test.ts compares the two on the wire and
 * fails when botbuilder starts sending something else.
 */
export function createProactive(adapter: ActivityAdapter, appId: string) {
  const clients = new Map<string, Promise<ConnectorClient>>();
  function clientFor(serviceUrl: string): Promise<ConnectorClient> {
    let client = clients.get(serviceUrl);
    if (!client) {
      if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
      client = adapter.connectorClient(appId, serviceUrl);
      clients.set(serviceUrl, client);
      // A client that could not be made (credentials refused) is made afresh next time.
      client.catch(() => clients.delete(serviceUrl));
    }
    return client;
  }

  /** `activity` as TurnContext addresses it in the turn continueConversationAsync runs for `reference`. */
  function addressed(reference: Partial<ConversationReference>, activity: Partial<Activity>): Partial<Activity> {
    const turn = TurnContext.getConversationReference(ActivityEx.getContinuationActivity(reference));
    return TurnContext.applyConversationReference({ ...activity }, turn);
  }

  return {
    /** Sends `activity` into the referenced conversation; answers the new message's id. */
    async send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string> {
      const outgoing = addressed(reference, activity);
      // As TurnContext.sendActivities and CloudAdapterBase.sendActivities.
      outgoing.type ||= ActivityTypes.Message;
      delete outgoing.id;
      const client = await clientFor(outgoing.serviceUrl ?? "");
      const conversationId = outgoing.conversation?.id ?? "";
      const response = outgoing.replyToId
        ? await client.conversations.replyToActivity(conversationId, outgoing.replyToId, outgoing as Activity)
        : await client.conversations.sendToConversation(conversationId, outgoing as Activity);
      return response?.id ?? "";
    },
    /** Replaces the message `activity.id` in the referenced conversation. */
    async update(reference: Partial<ConversationReference>, activity: Partial<Activity> & { id: string }): Promise<void> {
      const outgoing = addressed(reference, activity);
      const client = await clientFor(outgoing.serviceUrl ?? "");
      await client.conversations.updateActivity(outgoing.conversation?.id ?? "", activity.id, outgoing as Activity);
    },
  };
}

export type Proactive = ReturnType<typeof createProactive>;
