import type { Actor } from "../core/model.js";
import { addNote } from "../core/requests/add-note.js";
import { mergeRequests } from "../core/requests/merge-requests.js";
import { reopenRequest } from "../core/requests/reopen-request.js";
import type { ChatCommand } from "./commands.js";
import { userText } from "./inert.js";
import type { InteractionDeps } from "./interactions/outcome.js";
import { currentAudience, owedForMerge, owedForMove, owedRedraws } from "./owed.js";
import { noticeView } from "./present.js";
import type { MessageView } from "./views.js";

/**
 * `note`, `reopen` and `merge` typed in chat: the core decides who may and what changes;
 * what each owes (card redraws, notices) is stored with the change, then the dispatcher
 * is woken.
 */
type Command<K extends ChatCommand["kind"]> = Extract<ChatCommand, { kind: K }>;

export async function runNote(deps: InteractionDeps, actor: Actor, command: Command<"note">): Promise<MessageView> {
  const audience = await currentAudience(deps.core, deps.channels);
  const { request } = await addNote(deps.core, {
    actor,
    numberText: command.id,
    text: command.text,
    // Only the triage cards are redrawn: nobody is told of a note.
    owe: (changed, summary) => owedRedraws(audience, changed, summary),
  });
  deps.wake();
  return noticeView(`🔒 Internal note added to ${request.number}. Only faculty see it: on the triage card and in \`show\`.`);
}

export async function runReopen(deps: InteractionDeps, actor: Actor, command: Command<"reopen">): Promise<MessageView> {
  const audience = await currentAudience(deps.core, deps.channels);
  const { request, summary } = await reopenRequest(deps.core, {
    actor,
    numberText: command.id,
    why: command.why,
    owe: (changed, line, notify) => owedForMove(audience, changed, line, notify),
  });
  deps.wake();
  return noticeView(`${request.number}: ${userText(summary)}`);
}

export async function runMerge(deps: InteractionDeps, actor: Actor, command: Command<"merge">): Promise<MessageView> {
  const audience = await currentAudience(deps.core, deps.channels);
  const by = actor.displayName || "faculty";
  const { duplicate, into, newFollower } = await mergeRequests(deps.core, {
    actor,
    fromText: command.from,
    intoText: command.into,
    owe: (merged) => owedForMerge(audience, merged, by),
  });
  deps.wake();
  const follows = newFollower ? ` ${userText(duplicate.requester.displayName)} now follows ${into.number} and was told.` : "";
  return noticeView(`${duplicate.number} closed as a duplicate of ${into.number}.${follows}`);
}
