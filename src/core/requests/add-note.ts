import type { CoreDeps } from "../deps.js";
import { AppError } from "../errors.js";
import type { Actor, AuditEvent, MaRequest } from "../model.js";
import { isFaculty } from "../permissions.js";
import type { OwedMessage } from "../ports.js";
import { findRequestFor } from "./find-request.js";
import { MAX_MESSAGE_LENGTH } from "./move-request.js";

/**
 * Internal notes: faculty write them on a request; they are shown to faculty (the triage
 * card, `show`) and to nobody else, on any surface. A note is an audit event of its own
 * action, so it is in the audit trail; every history shown to someone not faculty leaves
 * these actions out.
 */
export const INTERNAL_ACTIONS: ReadonlySet<string> = new Set(["note"]);

/** The history as this actor may read it: internal notes only for faculty. */
export function historyFor(actor: Actor, history: AuditEvent[]): AuditEvent[] {
  return isFaculty(actor) ? history : history.filter((event) => !INTERNAL_ACTIONS.has(event.action));
}

/** The internal notes of a request, oldest first: none for anyone but faculty. */
export async function internalNotes(deps: CoreDeps, actor: Actor, request: Pick<MaRequest, "id">): Promise<AuditEvent[]> {
  if (!isFaculty(actor)) return [];
  return (await deps.requests.history(request.id)).filter((event) => INTERNAL_ACTIONS.has(event.action));
}

/** The notes a triage card shows: the card is read by faculty in the triage channel only. */
export async function notesForTriageCard(deps: CoreDeps, request: Pick<MaRequest, "id">): Promise<AuditEvent[]> {
  // Only the notes are read: every card drawn reads them, most requests have none.
  return (await deps.requests.eventsOf([request.id], INTERNAL_ACTIONS)).get(request.id) ?? [];
}

export interface AddNoteInput {
  actor: Actor;
  numberText: string;
  text: string;
  /** The card redraws the note owes (never a notice: nobody is told of a note). */
  owe?: (request: MaRequest, summary: string) => OwedMessage[];
}

/** Adds an internal note (faculty only), audited, with its card redraws in the same transaction. */
export async function addNote(deps: CoreDeps, input: AddNoteInput): Promise<{ request: MaRequest; summary: string }> {
  const { actor } = input;
  if (!isFaculty(actor)) throw new AppError("FORBIDDEN", "Only faculty can add internal notes.");
  const text = input.text.trim();
  if (text === "") throw new AppError("INVALID_INPUT", "Write the note after the request id.");
  if (text.length > MAX_MESSAGE_LENGTH) throw new AppError("INVALID_INPUT", `A note has at most ${MAX_MESSAGE_LENGTH} characters.`);
  const summary = `Internal note by ${actor.displayName || "faculty"}`;
  // A concurrent change moves the version on: read again and add it to the newer one.
  for (let attempt = 0; attempt < 3; attempt++) {
    const request = await findRequestFor(deps, actor, input.numberText);
    const updated = await deps.requests.update(
      {
        requestId: request.id,
        expectedVersion: request.version,
        status: request.status,
        set: {},
        audit: { actorId: actor.id, action: "note", fromStatus: request.status, note: text },
        at: deps.clock.now(),
        before: request,
      },
      (changed) => input.owe?.(changed, summary) ?? [],
    );
    if (updated) return { request: updated, summary };
  }
  throw new AppError("CONFLICT", "The request kept changing; try again.");
}
