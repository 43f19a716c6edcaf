import { type Activity, type ConversationReference, TurnContext } from "botbuilder";
import { platformZone } from "../chat/profile.js";
import type { Sleep } from "../core/clock.js";
import { identityKey } from "../core/people/identity.js";
import type { ConversationStore, IdentityInfo, StoredConversation } from "../core/ports.js";
import { tenantOf } from "./activity-policy.js";
import type { ActivityAdapter } from "./bot-framework.js";
import { NoConversationError } from "./errors.js";
import { createProactive } from "./proactive.js";
import { statusOf, withConnectorRetries } from "./retry.js";

/** The person behind an activity, as the core knows them, with the zone their client reports. */
export function teamsIdentity(activity: Activity): IdentityInfo {
  const zone = clientTimeZone(activity);
  return {
    // The AAD object id only, never the channel-specific from.id: the policy refuses activities without one.
    key: identityKey("teams", activity.from.aadObjectId ?? ""),
    workspaceId: tenantOf(activity),
    displayName: activity.from.name,
    ...(zone ? { timeZone: zone } : {}),
  };
}

/** Teams sends the client's IANA zone as `localTimezone`, and in the clientInfo entity; kept only when valid. */
function clientTimeZone(activity: Activity): string | undefined {
  const clientInfo = activity.entities?.find((entity) => entity.type === "clientInfo") as { timezone?: unknown } | undefined;
  return platformZone(activity.localTimezone ?? clientInfo?.timezone);
}

export const isPersonal = (activity: Activity) => (activity.conversation.conversationType ?? "personal") === "personal";

/**
 * Where the bot can write later, without replying to anything: a channel message's
 * conversation id names its thread (";messageid=…"), and the bot posts new cards at the
 * top of the channel, not under whoever last spoke to it.
 */
export function storedReference(activity: Partial<Activity>): { conversationId: string; reference: string } {
  const reference = TurnContext.getConversationReference(activity);
  const conversationId = (reference.conversation?.id ?? "").split(";messageid=")[0] ?? "";
  reference.activityId = undefined;
  if (reference.conversation) reference.conversation = { ...reference.conversation, id: conversationId };
  return { conversationId, reference: JSON.stringify(reference) };
}

/**
 * Proactive messaging through stored conversation references: what the outbox uses to
 * post, update and DM, and what a channel command uses to answer privately.
 */
export function createConversations(adapter: ActivityAdapter, appId: string, store: ConversationStore, sleep: Sleep) {
  const proactive = createProactive(adapter, appId);

  /** A live stored conversation's reference, or in the thread of one of its messages (`thread`: a channel post's id). */
  function referenceOf(stored: StoredConversation | undefined, thread?: string): Partial<ConversationReference> {
    if (!stored || stored.dead) throw new NoConversationError("no live Teams conversation reference");
    const reference = JSON.parse(stored.reference) as Partial<ConversationReference>;
    if (thread && reference.conversation) {
      // A channel thread is addressed as the channel's id with ";messageid=<root post>".
      reference.conversation = { ...reference.conversation, id: `${stored.conversationId};messageid=${thread}` };
    }
    return reference;
  }

  /** Runs one call to a stored conversation; a removed bot (403) marks it dead. The outbox retries. */
  async function toConversation<T>(conversationId: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (statusOf(error) === 403) await store.markDead("teams", conversationId);
      throw error;
    }
  }

  /** Posts `activity` in a stored conversation, or in the thread of one of its messages; answers its id. */
  async function send(conversationId: string, activity: Partial<Activity>, options: { thread?: string } = {}): Promise<string> {
    const reference = referenceOf(await store.find("teams", conversationId), options.thread);
    return toConversation(conversationId, () => proactive.send(reference, activity));
  }

  /** Replaces message `activity.id` in a stored conversation. */
  async function update(conversationId: string, activity: Partial<Activity> & { id: string }): Promise<void> {
    const reference = referenceOf(await store.find("teams", conversationId));
    await toConversation(conversationId, () => proactive.update(reference, activity));
  }

  /** Sends `activity` to the user's live 1:1 chat with the bot; answers where it landed. */
  async function sendToPerson(key: string, activity: Partial<Activity>): Promise<{ conversationId: string; messageId: string }> {
    const personal = await store.findPersonal(key);
    if (!personal) throw new NoConversationError("no personal Teams conversation with this user yet");
    const messageId = await toConversation(personal.conversationId, () => proactive.send(referenceOf(personal), activity));
    return { conversationId: personal.conversationId, messageId };
  }

  /** Answers in the user's 1:1 chat with the bot, opening one when none is stored yet (retried while throttled). */
  async function sendPrivately(context: TurnContext, activity: Partial<Activity>): Promise<void> {
    const source = context.activity;
    const key = teamsIdentity(source).key;
    if (await store.findPersonal(key)) {
      await withConnectorRetries(() => sendToPerson(key, activity), sleep);
      return;
    }
    const tenantId = tenantOf(source);
    const parameters = {
      isGroup: false,
      bot: source.recipient,
      members: [source.from],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    };
    // The adapter hands errors thrown inside a turn to the app's error handler, which only
    // logs them: a send that failed would look sent. Carry the error out instead.
    let failure: { error: unknown } | undefined;
    await adapter.createConversationAsync(appId, source.channelId, source.serviceUrl, "", parameters as never, async (inner) => {
      try {
        await store.save({ platform: "teams", ...storedReference(inner.activity), kind: "personal", identityKey: key });
        await inner.sendActivity(activity);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }

  /** Remembers every conversation the bot is spoken to in. */
  async function remember(context: TurnContext): Promise<void> {
    const { activity } = context;
    await store.save({
      platform: "teams",
      ...storedReference(activity),
      kind: activity.conversation.conversationType ?? "personal",
      identityKey: isPersonal(activity) ? teamsIdentity(activity).key : undefined,
    });
  }

  return { send, update, sendToPerson, sendPrivately, remember };
}

export type Conversations = ReturnType<typeof createConversations>;
