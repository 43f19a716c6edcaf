import { describe, expect, it } from "vitest";
import type { ConversationStore, StoredConversation } from "../../src/core/ports.js";
import { CONVERSATION_CACHE_MS, cachedConversationStore } from "../../src/teams/conversation-cache.js";

/** A store in memory that counts its reads. */
function countingStore() {
  const rows = new Map<string, StoredConversation>();
  const reads = { find: 0, findPersonal: 0 };
  const store: ConversationStore = {
    save: async (conversation) => {
      rows.set(conversation.conversationId, { ...conversation, dead: false });
    },
    find: async (_platform, conversationId) => {
      reads.find++;
      return rows.get(conversationId);
    },
    findPersonal: async (identityKey) => {
      reads.findPersonal++;
      return [...rows.values()].reverse().find((row) => row.identityKey === identityKey && row.kind === "personal" && !row.dead);
    },
    markDead: async (_platform, conversationId) => {
      const row = rows.get(conversationId);
      if (row) rows.set(conversationId, { ...row, dead: true });
    },
  };
  return { store, rows, reads };
}

const channel = { platform: "teams" as const, conversationId: "19:triage@thread.tacv2", kind: "channel", reference: "{}" };
const chat = { platform: "teams" as const, conversationId: "a:dm-1", kind: "personal", identityKey: "teams:aad-1", reference: "{}" };

describe("the Teams conversation cache", () => {
  it("reads a live conversation once a minute, and answers what it saved without reading", async () => {
    const { store, rows, reads } = countingStore();
    let now = 0;
    const cached = cachedConversationStore(store, () => now);
    rows.set(channel.conversationId, { ...channel, dead: false });
    expect(await cached.find("teams", channel.conversationId)).toMatchObject(channel);
    expect(await cached.find("teams", channel.conversationId)).toMatchObject(channel);
    expect(reads.find).toBe(1);
    now += CONVERSATION_CACHE_MS;
    await cached.find("teams", channel.conversationId);
    expect(reads.find).toBe(2);
    await cached.save(chat);
    expect(await cached.findPersonal(chat.identityKey)).toMatchObject(chat);
    expect(await cached.find("teams", chat.conversationId)).toMatchObject(chat);
    expect(reads).toEqual({ find: 2, findPersonal: 0 });
  });

  it("forgets a conversation marked dead, and keeps no missing or dead one", async () => {
    const { store, reads } = countingStore();
    const cached = cachedConversationStore(store, () => 0);
    await cached.save(chat);
    await cached.markDead("teams", chat.conversationId);
    expect(await cached.findPersonal(chat.identityKey)).toBeUndefined();
    expect(await cached.find("teams", chat.conversationId)).toMatchObject({ dead: true });
    expect(await cached.find("teams", chat.conversationId)).toMatchObject({ dead: true });
    expect(await cached.find("teams", "19:unknown")).toBeUndefined();
    expect(await cached.find("teams", "19:unknown")).toBeUndefined();
    expect(reads).toEqual({ find: 4, findPersonal: 1 });
  });
});
