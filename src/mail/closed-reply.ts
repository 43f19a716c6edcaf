import type { CoreDeps } from "../core/deps.js";
import { isAppError } from "../core/errors.js";
import type { Actor, MaRequest } from "../core/model.js";
import type { OweForMove } from "../core/requests/move-request.js";
import { REOPENABLE, reopenRequest } from "../core/requests/reopen-request.js";

/**
 * "Thanks", "Thank you!", "Thanks so much." and the like, alone: a courtesy, not a reason
 * to bring a closed request back. Greetings and a name around it are allowed; anything
 * more (a question, a problem) is not only thanks.
 */
const THANKS_ONLY =
  /^(?:(?:hi|hello|dear)\b[^\n]{0,40}\n+)?\s*(?:many\s+|thanks?\s+)?(?:thanks|thank\s*you|thx|ty|cheers|much\s+appreciated|appreciate\s+it)(?:\s+(?:so|very)\s+much|\s+a\s+lot|\s+again|\s+all|\s+everyone|\s+for\s+(?:everything|all(?:\s+your\s+help)?|your\s+help|the\s+help|the\s+session))*\s*[.!]*\s*(?:(?:best|regards|cheers|best\s+regards|v\/r|vr|r\/s)[,.]?\s*)?(?:\n[^\n]{0,60})?\s*$/i;

export function isOnlyThanks(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length > 0 && trimmed.length <= 200 && THANKS_ONLY.test(trimmed);
}

export type ClosedReplyOutcome = "thanks" | "reopened" | "not-reopened";

/**
 * The requester replied by mail to a delivered or declined request: only thanks changes
 * nothing; anything else reopens it (as `reopen` with the mail's text as the reason) while
 * the window is open. Past the window, or a merged duplicate, it is "not-reopened" and the
 * caller adds it to the history as before.
 */
export async function replyToClosed(
  core: CoreDeps,
  input: { actor: Actor; request: MaRequest; text: string; idempotencyKey: string; owe: OweForMove },
): Promise<ClosedReplyOutcome | undefined> {
  const { request } = input;
  if (!(REOPENABLE as readonly string[]).includes(request.status)) return undefined;
  if (isOnlyThanks(input.text)) return "thanks";
  if (input.text.trim() === "") return undefined;
  try {
    await reopenRequest(core, {
      actor: input.actor,
      numberText: request.number,
      why: input.text,
      owe: input.owe,
      idempotencyKey: input.idempotencyKey,
    });
    return "reopened";
  } catch (error) {
    if (isAppError(error, "CONFLICT")) return "not-reopened";
    throw error;
  }
}
