import { dayInZone, isIsoDate } from "../dates.js";
import type { CoreDeps } from "../deps.js";
import { DECLINE_REASONS, labelOf } from "../domain.js";
import { AppError, notFoundOrNotPermitted } from "../errors.js";
import type { Actor, MaRequest, PersonRef } from "../model.js";
import { canSeeRequest } from "../permissions.js";
import type { OwedMessage, RequestChange } from "../ports.js";
import { creditAfterMove, serviceClockOf } from "../service-levels/policy.js";
import { peopleToTell } from "./people-to-tell.js";
import { validateRequestForm } from "./request-form.js";
import { formatCount } from "./request-limits.js";
import { isAllowedFrom, MOVE_RULES, type Move, type MoveKind, mayMakeMove, targetStatus } from "./workflow.js";

export interface MoveRequestInput {
  actor: Actor;
  requestId: string;
  /** The version the actor saw (on the card or form); a newer request refuses the move. */
  expectedVersion: number;
  move: Move;
  /** The messages the move owes (card redraws, notices), stored with it. */
  owe?: OweForMove;
  /** The inbound message that made the move (a mail's id): the same message never moves it twice. */
  idempotencyKey?: string;
}

/** Builds the messages a move owes from the moved request, its one-line summary and who to tell. */
export type OweForMove = (request: MaRequest, summary: string, notify: PersonRef[], made?: MadeMove) => OwedMessage[];

/** What a move was, for the messages it owes (an invitation, a survey): its kind, the status it left, who made it. */
export interface MadeMove {
  kind: MoveKind;
  fromStatus: MaRequest["status"];
  actorId: string;
}

export interface MoveRequestResult {
  request: MaRequest;
  /** One line for cards and notices: "Accepted by Dana Ruiz; lead: Lee Park". */
  summary: string;
  /** People to tell, never the actor. */
  notify: PersonRef[];
}

/**
 * Checks that the actor may make this move on the request as they saw it, without
 * changing anything: adapters call it on a click, before opening the move's form.
 */
export async function checkMove(
  deps: CoreDeps,
  input: { actor: Actor; requestId: string; expectedVersion: number; kind: MoveKind },
): Promise<MaRequest> {
  const { actor, kind } = input;
  const request = await deps.requests.findById(input.requestId);
  if (!request || !canSeeRequest(actor, request)) throw notFoundOrNotPermitted("That request");
  const rule = MOVE_RULES[kind];
  if (!mayMakeMove(actor, request, kind)) {
    const who = rule.by === "faculty" ? "Only faculty" : "Only the requester";
    throw new AppError("FORBIDDEN", `${who} can ${rule.label.toLowerCase()} on ${request.number}.`);
  }
  if (request.version !== input.expectedVersion) throw staleError(request);
  if (!isAllowedFrom(kind, request.status)) {
    throw new AppError("CONFLICT", `${request.number} is ${labelOf(request.status).toLowerCase()}: "${rule.label}" is not possible now.`);
  }
  // Mission Assistance is delivered once it has happened: not before its first day.
  if (kind === "deliver" && request.scheduledStart && dayInZone(deps.clock.now(), deps.timeZone) < request.scheduledStart) {
    throw new AppError("CONFLICT", `${request.number} starts on ${request.scheduledStart}; it can be marked delivered from then.`);
  }
  return request;
}

function staleError(request: MaRequest): AppError {
  return new AppError("CONFLICT", `${request.number} changed since you opened it; here is the current version.`);
}

/**
 * Makes one move of the request workflow: checks who may, from which status, the note
 * it needs, and that nobody changed the request since the actor saw it. Writes the
 * change and its audit event together; on any refusal nothing changes.
 */
export async function moveRequest(deps: CoreDeps, input: MoveRequestInput): Promise<MoveRequestResult> {
  const { actor, move } = input;
  const request = await checkMove(deps, { actor, requestId: input.requestId, expectedVersion: input.expectedVersion, kind: move.kind });
  const at = deps.clock.now();
  const previousLead = request.lead;
  const change = { ...(await buildChange(deps, actor, request, move, at)), idempotencyKey: input.idempotencyKey };
  // Waiting on the requester pauses the service-level clock (see creditAfterMove).
  const credit = creditAfterMove(request, move.kind, at, serviceClockOf(deps));
  if (credit !== undefined) change.set = { ...change.set, stageCreditDays: credit };
  const updated = await deps.requests.update(change, (request) =>
    input.owe
      ? input.owe(request, describe(request, move, actor, previousLead), peopleToTell(request, actor), {
          kind: move.kind,
          fromStatus: change.audit.fromStatus,
          actorId: actor.id,
        })
      : [],
  );
  if (!updated) throw staleError(request);
  const summary = describe(updated, move, actor, previousLead);
  const notify = peopleToTell(updated, actor);
  return { request: updated, summary, notify };
}

async function buildChange(deps: CoreDeps, actor: Actor, request: MaRequest, move: Move, at: Date): Promise<RequestChange> {
  const base = {
    requestId: request.id,
    expectedVersion: request.version,
    status: targetStatus(move.kind, request.status),
    at,
    before: request,
  };
  const audit = (note: string) => ({ actorId: actor.id, action: move.kind, fromStatus: request.status, note });
  const note = "note" in move ? optionalNote(move.note) : "";
  switch (move.kind) {
    case "accept": {
      const found = await deps.people.findPerson(move.leadId);
      if (!found?.roles.some((grant) => grant.role === "faculty" || grant.role === "admin")) {
        throw new AppError("INVALID_INPUT", "Choose a faculty member as lead.", { leadId: "Choose a faculty member as lead" });
      }
      const lead = found.person;
      // The history names the lead even when a note is given, and who took over from whom
      // when a reopened request gets a new lead.
      const leadText = leadChange(request.lead, lead);
      return { ...base, set: { lead }, audit: audit(note ? `${leadText} — ${note}` : leadText) };
    }
    case "askInfo": {
      const question = requireText(move.question, "question", "Write the question for the requester");
      return { ...base, set: { question }, audit: audit(question) };
    }
    case "answer": {
      const answer = requireText(move.answer, "answer", "Write your answer");
      return { ...base, set: { question: undefined }, audit: audit(answer) };
    }
    case "schedule":
    case "reschedule": {
      const errors: Record<string, string> = {};
      if (!isIsoDate(move.start)) errors.start = "Start must be a date (YYYY-MM-DD)";
      else if (move.start < dayInZone(at, deps.timeZone)) errors.start = "Start date cannot be in the past";
      if (!isIsoDate(move.end)) errors.end = "End must be a date (YYYY-MM-DD)";
      else if (isIsoDate(move.start) && move.end < move.start) errors.end = "End date must be on or after the start date";
      const reason = move.kind === "reschedule" ? optionalNote(move.reason) : "";
      if (move.kind === "reschedule" && !reason) errors.reason = "Say why the dates change";
      if (Object.keys(errors).length > 0) throw new AppError("INVALID_INPUT", "Check the dates.", errors);
      const dates = `${move.start} to ${move.end}`;
      return {
        ...base,
        set: { scheduledStart: move.start, scheduledEnd: move.end, calendarSequence: nextSequence(request) },
        audit: audit(
          move.kind === "reschedule" ? `${dates} (was ${request.scheduledStart} to ${request.scheduledEnd}) — ${reason}` : note || dates,
        ),
      };
    }
    case "deliver":
      return { ...base, set: {}, audit: audit(note) };
    case "decline": {
      if (!DECLINE_REASONS.includes(move.reason)) {
        throw new AppError("INVALID_INPUT", "Choose a reason.", { reason: "Choose a reason for declining" });
      }
      return { ...base, set: { declineReason: move.reason, ...cancelsInvitation(request) }, audit: audit(note || labelOf(move.reason)) };
    }
    case "withdraw":
      return { ...base, set: cancelsInvitation(request), audit: audit(note) };
    case "edit": {
      const validation = validateRequestForm(move.raw, dayInZone(at, deps.timeZone));
      if (!validation.ok) throw new AppError("INVALID_INPUT", "Some fields need attention.", validation.fieldErrors);
      return {
        ...base,
        set: { form: validation.form, eligibilityCheck: validation.form.component === "OTHER" },
        audit: audit("Request edited"),
      };
    }
  }
}

/** Each schedule, reschedule or cancellation raises the calendar invitation's SEQUENCE (stored plus one). */
const nextSequence = (request: MaRequest) => (request.calendarSequence ?? 0) + 1;

/** A scheduled request that is declined or withdrawn owes a cancellation of its invitation. */
function cancelsInvitation(request: MaRequest): { calendarSequence?: number } {
  return request.status === "SCHEDULED" ? { calendarSequence: nextSequence(request) } : {};
}

/** "Lead: Pat Lee", or "Lead: reassigned from Dana Ruiz to Pat Lee" when it changes hands. */
function leadChange(previous: PersonRef | undefined, lead: PersonRef): string {
  return previous && previous.id !== lead.id
    ? `Lead: reassigned from ${previous.displayName} to ${lead.displayName}`
    : `Lead: ${lead.displayName}`;
}

/** Longest question or answer, and longest note on a move: checked here, whatever the form allowed. */
export const MAX_MESSAGE_LENGTH = 3000;
export const MAX_NOTE_LENGTH = 1000;

function requireText(value: string, field: string, message: string): string {
  const text = value.trim();
  if (text.length === 0) throw new AppError("INVALID_INPUT", message, { [field]: message });
  const tooLong = `At most ${formatCount(MAX_MESSAGE_LENGTH)} characters`;
  if (text.length > MAX_MESSAGE_LENGTH) throw new AppError("INVALID_INPUT", `${tooLong}.`, { [field]: tooLong });
  return text;
}

function optionalNote(value: string | undefined): string {
  const text = (value ?? "").trim();
  const tooLong = `A note has at most ${formatCount(MAX_NOTE_LENGTH)} characters`;
  if (text.length > MAX_NOTE_LENGTH) throw new AppError("INVALID_INPUT", `${tooLong}.`, { note: tooLong });
  return text;
}

/**
 * One line for cards and notices, with what the person wrote (a note, an answer) so the
 * card shows it once. The open question itself is shown by the card, not repeated here.
 */
function describe(request: MaRequest, move: Move, actor: Actor, previousLead: PersonRef | undefined): string {
  const by = actor.displayName || "someone";
  const note = "note" in move && move.note?.trim() ? ` — ${move.note.trim()}` : "";
  switch (move.kind) {
    case "accept":
      return `Accepted by ${by}; ${request.lead ? leadChange(previousLead, request.lead).replace(/^Lead/, "lead") : "lead: unassigned"}${note}`;
    case "askInfo":
      return `${by} asked for information`;
    case "answer":
      return `${by} answered: ${move.answer.trim()} — back in the queue`;
    case "schedule":
      return `Scheduled by ${by}: ${request.scheduledStart} to ${request.scheduledEnd}${note}`;
    case "reschedule":
      return `Rescheduled by ${by}: ${request.scheduledStart} to ${request.scheduledEnd} — ${move.reason.trim()}`;
    case "deliver":
      return `Marked delivered by ${by}${note}`;
    case "decline":
      return `Declined by ${by}: ${labelOf(request.declineReason ?? "")}${note}`;
    case "withdraw":
      return `Withdrawn by ${by}${note}`;
    case "edit":
      return `Edited by ${by}`;
  }
}
