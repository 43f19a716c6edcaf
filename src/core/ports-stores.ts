import type { Platform } from "./model.js";

// The stores behind subscriptions, settings, posted cards and conversations: what the
// dispatcher and the adapters keep between messages. Re-exported by ports.ts.

export type SubscriptionTarget = { type: "case"; id: string } | { type: "request"; id: string };

export interface Subscription {
  id: string;
  platform: Platform;
  conversationId: string;
  target: SubscriptionTarget;
  /** The person who subscribed: reminders go out only while they may still see the target. */
  createdById: string;
  /** Why reminders stopped; "" while active. */
  disabledReason: string;
}

type SubscriptionKey = Omit<Subscription, "id" | "createdById" | "disabledReason">;

/** Channels that receive a case's or request's reminders. */
export interface SubscriptionStore {
  /** Returns false when the channel was already subscribed (a stopped one starts again, as this person's). */
  add(input: Omit<Subscription, "id" | "disabledReason">): Promise<boolean>;
  /** Returns false when there was nothing to remove. */
  remove(input: SubscriptionKey): Promise<boolean>;
  /** The active subscriptions to any of these targets of one type: what a reminder pass fans out to. */
  listForTargets(type: SubscriptionTarget["type"], ids: string[]): Promise<Subscription[]>;
  find(input: SubscriptionKey): Promise<Subscription | undefined>;
  /** Stops a subscription's reminders, saying why. */
  disable(id: string, reason: string): Promise<void>;
  /** One conversation's subscriptions, or (undefined) every one. */
  list(where?: { platform: Platform; conversationId: string }): Promise<Subscription[]>;
}

/** Small named settings, such as the triage channel of each platform. */
export interface SettingsStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

/** Where a request's triage card was posted on a platform, so it can be updated in place. */
export interface TriageCardRef {
  platform: Platform;
  conversationId: string;
  messageId: string;
  /** The request version the card shows. */
  drawnVersion: number;
}

/** Where a requester's "received" card is (their direct message), and which version it shows. */
export type RequesterCardStore = Pick<TriageCardStore, "recordPosted" | "recordRedrawn" | "find">;

export interface TriageCardStore {
  /** Records a newly posted card: the request's card on this platform is now this one. */
  recordPosted(requestId: string, ref: TriageCardRef): Promise<void>;
  /**
   * Records that a card was redrawn at `drawnVersion`; a lower version never replaces a
   * higher one. Returns the version the card is known to show afterwards.
   */
  recordRedrawn(requestId: string, ref: TriageCardRef): Promise<number>;
  find(requestId: string, platform: Platform): Promise<TriageCardRef | undefined>;
  /** Requests (by id) that have a card in this conversation: the rest are owed one. */
  requestsWithCards(platform: Platform, conversationId: string, requestIds: string[]): Promise<Set<string>>;
}

/** A place the bot can write to without being asked (Teams proactive messages). */
export interface StoredConversation {
  platform: Platform;
  conversationId: string;
  /** personal, channel or groupChat. */
  kind: string;
  /** The user of a personal conversation. */
  identityKey?: string;
  /** The platform's own reference (Teams ConversationReference), as JSON. */
  reference: string;
  dead: boolean;
}

export interface ConversationStore {
  save(conversation: Omit<StoredConversation, "dead">): Promise<void>;
  find(platform: Platform, conversationId: string): Promise<StoredConversation | undefined>;
  /** The live personal (1:1) conversation with a user. */
  findPersonal(identityKey: string): Promise<StoredConversation | undefined>;
  /** The platform said the bot was removed: never write there again until it is re-added. */
  markDead(platform: Platform, conversationId: string): Promise<void>;
}

/** Inbound deliveries already handled, so a platform's resend is answered once. */
export interface DeliveryLog {
  /** True the first time a key is seen, false for every repeat. */
  firstTime(key: string, at: Date): Promise<boolean>;
}

/** The faculty workbench ports (saved replies, availability, skills). */
export * from "./faculty/ports.js";
/** The outbox port (what the bot owes, and its dispatcher's claims) lives beside this file. */
export * from "./outbox.js";
