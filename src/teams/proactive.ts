import { type Activity, ActivityEx, ActivityTypes, type ConversationReference, TurnContext } from "botbuilder";
import type { ActivityAdapter } from "./bot-framework.js";
import { createConnectorApi, pipelineHeaders, type SigningClient, serviceUrlPath } from "./connector-api.js";
import { NoActivityIdError } from "./errors.js";

type ConnectorClient = Awaited<ReturnType<ActivityAdapter["connectorClient"]>>;

/** Bot Connector addresses kept with their client; Teams uses a handful per cloud. */
const MAX_CLIENTS = 32;
/** One Bot Connector call that has not answered by then fails (the outbox's send timeout is 30 s). */
const CALL_TIMEOUT_MS = 25_000;

/**
 * A proxy named in the environment, which botbuilder's HTTP pipeline honours
 * (HTTPS_PROXY, ALL_PROXY, HTTP_PROXY, either case): then every call goes through its client.
 */
export const proxyConfigured = (env: NodeJS.ProcessEnv = process.env) =>
  ["HTTPS_PROXY", "ALL_PROXY", "HTTP_PROXY"].some((name) => env[name] || env[name.toLowerCase()]);

/** A sent message's id: the outbox records it to update the card later, so none is an error (not an empty id). */
function idOf(id: string | undefined): string {
  if (!id) throw new NoActivityIdError("Teams answered a send without the message's id");
  return id;
}

interface Kept extends SigningClient {
  client: ConnectorClient;
}

/**
 * Proactive sends and updates (what the outbox posts, redraws and DMs) through one Bot
 * Connector client per service address, made once. botbuilder's continueConversationAsync
 * builds a connector factory, credentials, a ConnectorClient with its whole HTTP pipeline and
 * a user-token client for every call, and runs a turn around the send: about half of a
 * proactive send's CPU. The request is the one that turn would make, built with botbuilder's
 * own helpers (addressed from the continuation activity's reference, so a send is a reply to
 * it, as there), and sent by src/teams/connector-api.ts with the client's credentials and
 * headers, not through its HTTP pipeline (the other half); test/teams/proactive-contract.test.ts
 * compares the two on the wire and fails when botbuilder starts sending something else.
 */
export function createProactive(adapter: ActivityAdapter, appId: string, options: { viaClient?: boolean } = {}) {
  const viaClient = options.viaClient ?? proxyConfigured();
  const api = createConnectorApi({ timeoutMs: CALL_TIMEOUT_MS });
  const clients = new Map<string, Promise<Kept>>();
  function clientFor(serviceUrl: string): Promise<Kept> {
    let client = clients.get(serviceUrl);
    if (!client) {
      if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
      client = adapter.connectorClient(appId, serviceUrl).then(async (made) => ({
        client: made,
        credentials: made.credentials,
        headers: viaClient ? {} : await pipelineHeaders(made, serviceUrlPath(serviceUrl, "v3/conversations")),
      }));
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
      const serviceUrl = outgoing.serviceUrl ?? "";
      const kept = await clientFor(serviceUrl);
      const conversationId = outgoing.conversation?.id ?? "";
      if (viaClient) {
        const { conversations } = kept.client;
        const response = outgoing.replyToId
          ? await conversations.replyToActivity(conversationId, outgoing.replyToId, outgoing as Activity)
          : await conversations.sendToConversation(conversationId, outgoing as Activity);
        return idOf(response?.id);
      }
      // The paths ConnectorClient's replyToActivity and sendToConversation use.
      const path = `v3/conversations/${encodeURIComponent(conversationId)}/activities${
        outgoing.replyToId ? `/${encodeURIComponent(outgoing.replyToId)}` : ""
      }`;
      // replyToActivity also names the conversation in a header.
      const extra = outgoing.replyToId ? { "x-ms-conversation-id": conversationId } : undefined;
      const response = await api.call(kept, "POST", serviceUrlPath(serviceUrl, path), outgoing, extra);
      return idOf(response.id);
    },
    /** Replaces the message `activity.id` in the referenced conversation. */
    async update(reference: Partial<ConversationReference>, activity: Partial<Activity> & { id: string }): Promise<void> {
      const outgoing = addressed(reference, activity);
      const serviceUrl = outgoing.serviceUrl ?? "";
      const kept = await clientFor(serviceUrl);
      const conversationId = outgoing.conversation?.id ?? "";
      if (viaClient) {
        await kept.client.conversations.updateActivity(conversationId, activity.id, outgoing as Activity);
        return;
      }
      const path = `v3/conversations/${encodeURIComponent(conversationId)}/activities/${encodeURIComponent(activity.id)}`;
      await api.call(kept, "PUT", serviceUrlPath(serviceUrl, path), outgoing);
    },
  };
}

export type Proactive = ReturnType<typeof createProactive>;
