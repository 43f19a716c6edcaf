import type { DeclineReason, RequestStatus } from "../domain.js";
import type { Actor, IsoDate, MaRequest } from "../model.js";
import { isFaculty, isRequester } from "../permissions.js";
import type { RawRequestForm } from "./request-form.js";

/**
 * The request state machine (product rule):
 *   SUBMITTED ─► NEEDS_INFO ─(requester answers)─► SUBMITTED
 *   SUBMITTED ─► ACCEPTED (lead assigned) ─► SCHEDULED (dates fixed) ─► DELIVERED
 *   SUBMITTED | NEEDS_INFO | ACCEPTED | SCHEDULED ─► DECLINED (reason required)
 *   any state but DELIVERED | DECLINED ─► WITHDRAWN (by the requester)
 * Requesters may also edit while SUBMITTED or NEEDS_INFO.
 */

export type Move =
  | { kind: "accept"; leadId: string; note?: string }
  | { kind: "askInfo"; question: string }
  | { kind: "answer"; answer: string }
  | { kind: "schedule"; start: IsoDate; end: IsoDate; note?: string }
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
}

export const MOVE_RULES: Readonly<Record<MoveKind, MoveRule>> = {
  accept: { from: ["SUBMITTED"], to: "ACCEPTED", by: "faculty", label: "Accept and assign" },
  askInfo: { from: ["SUBMITTED"], to: "NEEDS_INFO", by: "faculty", label: "Ask for information" },
  answer: { from: ["NEEDS_INFO"], to: "SUBMITTED", by: "requester", label: "Answer the question" },
  schedule: { from: ["ACCEPTED"], to: "SCHEDULED", by: "faculty", label: "Schedule" },
  deliver: { from: ["SCHEDULED"], to: "DELIVERED", by: "faculty", label: "Mark delivered" },
  decline: { from: ["SUBMITTED", "NEEDS_INFO", "ACCEPTED", "SCHEDULED"], to: "DECLINED", by: "faculty", label: "Decline" },
  withdraw: { from: ["SUBMITTED", "NEEDS_INFO", "ACCEPTED", "SCHEDULED"], to: "WITHDRAWN", by: "requester", label: "Withdraw" },
  edit: { from: ["SUBMITTED", "NEEDS_INFO"], to: "same", by: "requester", label: "Edit" },
};

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

/** Faculty moves open from a status: what a triage card offers, whoever looks at it. */
export function facultyMovesFrom(status: RequestStatus): MoveKind[] {
  return FACULTY_MOVES.filter((kind) => isAllowedFrom(kind, status));
}
