import { type DeclineReason, OPEN_REQUEST_STATUSES, type RequestStatus } from "../domain.js";
import type { Actor, IsoDate, MaRequest, PersonRef } from "../model.js";
import { isFaculty, isRequester } from "../permissions.js";
import type { RawRequestForm } from "./request-form.js";

/**
 * The request state machine (product rule):
 *   SUBMITTED ─► NEEDS_INFO ─(requester answers)─► SUBMITTED
 *   SUBMITTED ─► ACCEPTED (lead assigned) ─► SCHEDULED (dates fixed) ─► DELIVERED
 *   SCHEDULED ─(new dates and a reason)─► SCHEDULED (rescheduled)
 *   SUBMITTED | NEEDS_INFO | ACCEPTED | SCHEDULED ─► DECLINED (reason required)
 *   any state but DELIVERED | DECLINED ─► WITHDRAWN (by the requester)
 * Requesters may also edit while SUBMITTED or NEEDS_INFO.
 */

export type Move =
  | { kind: "accept"; leadId: string; note?: string }
  | { kind: "askInfo"; question: string }
  | { kind: "answer"; answer: string }
  | { kind: "schedule"; start: IsoDate; end: IsoDate; note?: string }
  | { kind: "reschedule"; start: IsoDate; end: IsoDate; reason: string }
  | { kind: "deliver"; note?: string }
  | { kind: "decline"; reason: DeclineReason; note?: string }
  | { kind: "withdraw"; note?: string }
  | { kind: "edit"; raw: RawRequestForm };

export type MoveKind = Move["kind"];

interface MoveRule {
  from: readonly RequestStatus[];
  to: RequestStatus | "same";
  by: "faculty" | "requester";
  /** What the button says. */
  label: string;
  /** What the audit history says happened: "accepted", "asked for information". */
  pastTense: string;
  /** Whether a click opens a form first (the move's inputs), or makes the move at once. */
  opensForm: boolean;
  /** Whether the form lists faculty with their open assignments (the assign picker). */
  listsFaculty: boolean;
}

export const MOVE_RULES: Readonly<Record<MoveKind, MoveRule>> = {
  accept: rule(["SUBMITTED"], "ACCEPTED", "faculty", "Accept and assign", "accepted and assigned", { listsFaculty: true }),
  askInfo: rule(["SUBMITTED"], "NEEDS_INFO", "faculty", "Ask for information", "asked for information"),
  answer: rule(["NEEDS_INFO"], "SUBMITTED", "requester", "Answer the question", "answered the question"),
  schedule: rule(["ACCEPTED"], "SCHEDULED", "faculty", "Schedule", "scheduled"),
  reschedule: rule(["SCHEDULED"], "same", "faculty", "Reschedule", "rescheduled"),
  deliver: rule(["SCHEDULED"], "DELIVERED", "faculty", "Mark delivered", "marked delivered"),
  decline: rule(OPEN_REQUEST_STATUSES, "DECLINED", "faculty", "Decline", "declined"),
  withdraw: rule(OPEN_REQUEST_STATUSES, "WITHDRAWN", "requester", "Withdraw", "withdrew the request"),
  edit: rule(["SUBMITTED", "NEEDS_INFO"], "same", "requester", "Edit", "edited the request"),
};

function rule(
  from: readonly RequestStatus[],
  to: RequestStatus | "same",
  by: MoveRule["by"],
  label: string,
  pastTense: string,
  options: { opensForm?: boolean; listsFaculty?: boolean } = {},
): MoveRule {
  return { from, to, by, label, pastTense, opensForm: options.opensForm ?? true, listsFaculty: options.listsFaculty ?? false };
}

export const MOVE_KINDS = Object.keys(MOVE_RULES) as MoveKind[];
export const FACULTY_MOVES = MOVE_KINDS.filter((kind) => MOVE_RULES[kind].by === "faculty");

export function targetStatus(kind: MoveKind, current: RequestStatus): RequestStatus {
  const to = MOVE_RULES[kind].to;
  return to === "same" ? current : to;
}

export function isAllowedFrom(kind: MoveKind, status: RequestStatus): boolean {
  return MOVE_RULES[kind].from.includes(status);
}

export function mayMakeMove(actor: Actor, request: MaRequest, kind: MoveKind): boolean {
  return MOVE_RULES[kind].by === "faculty" ? isFaculty(actor) : isRequester(actor, request);
}

/** The moves this actor can make on this request now, in button order. */
export function availableMoves(actor: Actor, request: MaRequest): MoveKind[] {
  return MOVE_KINDS.filter((kind) => isAllowedFrom(kind, request.status) && mayMakeMove(actor, request, kind));
}

/**
 * The moves a person makes on a request as its requester: what their own notices offer.
 * (Faculty moves live on the triage card.)
 */
export function movesForPerson(person: PersonRef, request: MaRequest): MoveKind[] {
  if (person.id !== request.requester.id) return [];
  return MOVE_KINDS.filter((kind) => MOVE_RULES[kind].by === "requester" && isAllowedFrom(kind, request.status));
}

/** Faculty moves open from a status: what a triage card offers, whoever looks at it. */
export function facultyMovesFrom(status: RequestStatus): MoveKind[] {
  return FACULTY_MOVES.filter((kind) => isAllowedFrom(kind, status));
}
