import type { DeliveryFailure } from "../chat/channel.js";
import { retryAfterMs, statusOf } from "./retry.js";

/** No stored conversation to write to (never reached, or the bot was removed from it). */
export class NoConversationError extends Error {
  readonly kind = "NO_CONVERSATION";
  constructor(message: string) {
    super(message);
    this.name = "NoConversationError";
  }
}

/**
 * Teams took a send (a 2xx) but its answer names no message id, or cannot be read: the message
 * is most likely posted, so it is not sent again, and without its id it can never be updated.
 */
export class NoActivityIdError extends Error {
  readonly kind = "NO_ACTIVITY_ID";
  constructor(message: string) {
    super(message);
    this.name = "NoActivityIdError";
  }
}

/** Teams answers that no retry will fix: the bot was removed, or there is nowhere to write. */
export function classifyTeamsError(error: unknown): DeliveryFailure {
  const status = statusOf(error);
  if (status === 429) return { kind: "rateLimited", retryAfterMs: retryAfterMs(error) ?? 1000 };
  if (status === 403) return { kind: "permanent", reason: "bot removed or blocked (403)" };
  if (status === 404) return { kind: "permanent", reason: "conversation not found (404)" };
  if (error instanceof NoConversationError) return { kind: "permanent", reason: error.message };
  // Permanent: a retry would post the message twice.
  if (error instanceof NoActivityIdError) return { kind: "permanent", reason: "sent, but Teams answered without its message id" };
  return { kind: "transient", reason: status ? `HTTP ${status}` : ((error as Error)?.name ?? "error") };
}
