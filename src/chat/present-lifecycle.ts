import type { AuditEvent, MaRequest, PersonRef } from "../core/model.js";
import { formatInstant, statusLabel } from "./format.js";
import { userText } from "./inert.js";
import { requestTitle } from "./present.js";
import type { MessageView, ViewBlock } from "./views.js";

/** Whether a person is told of a request only as a follower (not its requester or lead). */
export function isFollowerOnly(person: Pick<PersonRef, "id">, request: MaRequest): boolean {
  return (
    person.id !== request.requester.id &&
    person.id !== request.lead?.id &&
    (request.followers ?? []).some((follower) => follower.id === person.id)
  );
}

/**
 * A request as a follower sees it (the requester of a duplicate merged into it): where it
 * stands, who leads it and when it is, and nothing of what its own requester filed (their
 * contact, their problem statement), which was not theirs to share.
 */
export function followerCardView(request: MaRequest, heading: string, zone: string): MessageView {
  const fields = [{ label: "Status", value: `${statusLabel(request.status)} since ${formatInstant(request.statusSince, zone)}` }];
  if (request.lead) fields.push({ label: "Faculty lead", value: userText(request.lead.displayName) });
  if (request.scheduledStart) fields.push({ label: "Scheduled", value: `${request.scheduledStart} to ${request.scheduledEnd}` });
  return {
    text: heading,
    blocks: [
      { type: "text", text: heading },
      { type: "header", text: requestTitle(request) },
      { type: "fields", fields },
      { type: "context", text: "You follow this request: a request of yours was merged into it as a duplicate." },
    ],
  };
}

/** What the duplicate's requester is told, once, when it is merged. */
export function mergedHeading(duplicate: MaRequest, into: MaRequest, newFollower: boolean): string {
  const follow = newFollower
    ? ` You now follow ${into.number}: you will be told of its changes, and it is listed with your requests.`
    : ` ${into.number} goes on.`;
  return `${duplicate.number} was closed as a duplicate of ${into.number}.${follow}`;
}

/** Notes a card shows: the latest few, the rest counted (`show` has them all). */
const NOTES_ON_CARD = 5;

/** Internal notes, marked as faculty-only: only views drawn for faculty pass any. */
export function notesBlocks(notes: readonly AuditEvent[], zone: string): ViewBlock[] {
  if (notes.length === 0) return [];
  const shown = notes.slice(-NOTES_ON_CARD);
  const older = notes.length > shown.length ? `\n…and ${notes.length - shown.length} older (\`show\` has them all)` : "";
  const lines = shown.map((note) => `${formatInstant(note.at, zone)} — ${userText(note.actor.displayName)}: ${userText(note.note)}`);
  return [{ type: "text", text: `*🔒 Internal notes (faculty only)*\n${lines.join("\n")}${older}` }];
}
