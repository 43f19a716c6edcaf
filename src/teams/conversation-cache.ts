import type { ConversationStore, StoredConversation } from "../core/ports.js";

/** How long a conversation read or saved here is used without reading it again. */
export const CONVERSATION_CACHE_MS = 60_000;
/** Conversations kept (the triage channel, faculty channels, the people written to lately). */
const MAX_KEPT = 1000;

interface Kept {
  conversation: StoredConversation;
  until: number;
}

/**
 * The Teams conversation store with the live conversations it read or saved kept for a
 * minute: every owed triage card read its channel's reference, and every owed DM the
 * person's 1:1 chat, which the card action that owed it had saved a moment before (two
 * reads of a card submit's ~40 statements). What this process saves or marks dead replaces
 * what it kept at once; another replica's changes are seen within CONVERSATION_CACHE_MS,
 * and a send to a conversation it marked dead meanwhile is refused (403) and marked here.
 * Only live conversations are kept: a missing or dead one is read again each time.
 */
export function cachedConversationStore(store: ConversationStore, now: () => number = Date.now): ConversationStore {
  const byConversation = new Map<string, Kept>();
  const byPerson = new Map<string, Kept>();
  const conversationKey = (platform: string, conversationId: string) => `${platform}\u0000${conversationId}`;
  const keep = (map: Map<string, Kept>, key: string, conversation: StoredConversation) => {
    map.delete(key);
    if (map.size >= MAX_KEPT) map.delete(map.keys().next().value as string);
    map.set(key, { conversation, until: now() + CONVERSATION_CACHE_MS });
  };
  const fresh = (map: Map<string, Kept>, key: string) => {
    const kept = map.get(key);
    if (kept && kept.until > now()) return kept.conversation;
    if (kept) map.delete(key);
    return undefined;
  };
  const remember = (conversation: StoredConversation | undefined) => {
    if (!conversation || conversation.dead) return conversation;
    keep(byConversation, conversationKey(conversation.platform, conversation.conversationId), conversation);
    return conversation;
  };
  return {
    save: async (conversation) => {
      const key = conversationKey(conversation.platform, conversation.conversationId);
      // Forgotten first: had the save failed, what was kept might no longer be what is stored.
      byConversation.delete(key);
      await store.save(conversation);
      const saved: StoredConversation = { ...conversation, dead: false };
      keep(byConversation, key, saved);
      // The 1:1 chat saved last is the one findPersonal answers (the newest live one).
      if (saved.kind === "personal" && saved.identityKey) keep(byPerson, saved.identityKey, saved);
    },
    find: async (platform, conversationId) =>
      fresh(byConversation, conversationKey(platform, conversationId)) ?? remember(await store.find(platform, conversationId)),
    findPersonal: async (identityKey) => {
      const kept = fresh(byPerson, identityKey);
      if (kept) return kept;
      const found = await store.findPersonal(identityKey);
      if (found && !found.dead) keep(byPerson, identityKey, found);
      return found;
    },
    markDead: async (platform, conversationId) => {
      byConversation.delete(conversationKey(platform, conversationId));
      for (const [key, kept] of byPerson) {
        if (kept.conversation.platform === platform && kept.conversation.conversationId === conversationId) byPerson.delete(key);
      }
      await store.markDead(platform, conversationId);
    },
  };
}
