import type { Platform } from "../core/model.js";
import type { MessageView } from "./views.js";

/** Where a direct message landed (Slack: the DM channel and ts; Teams: the 1:1 chat and activity id), to update it later. */
export interface DirectMessageRef {
  conversationId: string;
  messageId: string;
}

/** A calendar invitation (iTIP) for a scheduled request: what the mail channel turns into text/calendar. */
export interface CalendarInvite {
  method: "REQUEST" | "CANCEL";
  /** One per request, stable across changes. */
  uid: string;
  /** Raised by each change of the same request. */
  sequence: number;
  /** When this version was made (DTSTAMP). */
  stamp: Date;
  /** Only the request id and "Mission Assistance". */
  summary: string;
  start: string;
  end: string;
  /** "Virtual", or the place for on-site and hybrid sessions. */
  location: string;
  timeZone: string;
  /** The mailbox sending it. */
  organizer: string;
  attendees: Array<{ email: string }>;
}

/** How a failed send should be treated by the dispatcher. */
export type DeliveryFailure =
  | { kind: "rateLimited"; retryAfterMs: number }
  | { kind: "permanent"; reason: string }
  | { kind: "transient"; reason: string };

/**
 * What each chat platform offers the outbox dispatcher: the only way the bot speaks
 * without being asked. A request filed in Slack still reaches faculty who triage in
 * Teams, and a person is told on the platform their identity belongs to.
 */
export interface ChatChannel {
  platform: Platform;
  /** How commands are typed here, for "type … for details" hints: "/ma " or "". */
  commandPrefix: string;
  /** The triage channel configured outside the database (SLACK_TRIAGE_CHANNEL). */
  configuredTriageChannel?: string;
  /**
   * Sends a direct message to one identity of this platform (`slack:U…`). `about` names
   * the owed row and what it is about (mail threads replies by them). Returns where it
   * landed where the platform can update it later (not mail).
   */
  sendDirect(
    identityKey: string,
    view: MessageView,
    about?: { outboxId: string; subjectKey: string },
  ): Promise<DirectMessageRef | undefined>;
  /** Posts a card in a channel; returns the message id. */
  postCard(conversationId: string, view: MessageView): Promise<string>;
  updateCard(ref: { conversationId: string; messageId: string }, view: MessageView): Promise<void>;
  /** Replies under a card (a Slack thread, a Teams channel thread). */
  replyToCard(ref: { conversationId: string; messageId: string }, view: MessageView): Promise<void>;
  /**
   * Sends a calendar invitation (only a channel with a mailbox has this; elsewhere the chat
   * notice carries the dates and an "Add to Outlook" link instead).
   */
  sendInvitation?(invite: Omit<CalendarInvite, "organizer">, about: { outboxId: string; subjectKey: string }): Promise<void>;
  /** Sorts a failed send into rate-limited, permanent (channel gone, bot removed) or transient. */
  classifyError(error: unknown): DeliveryFailure;
}
