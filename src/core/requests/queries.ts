import { relatedCasesNotOnFile } from "../cases/cases-on-file.js";
import { dayInZone } from "../dates.js";
import type { CoreDeps } from "../deps.js";
import { OPEN_REQUEST_STATUSES, WAITING_FOR_TRIAGE } from "../domain.js";
import { AppError } from "../errors.js";
import type { Actor, AuditEvent, MaRequest, PersonRef } from "../model.js";
import { isFaculty, relatedCasesShown } from "../permissions.js";
import { serviceClockOf, stageServiceLevel, workingDaysWaiting } from "../service-levels/policy.js";
import { historyFor } from "./add-note.js";
import { findRequestFor } from "./find-request.js";
import { availableMoves, type MoveKind } from "./workflow.js";

/** The asker's own requests, newest first. */
export async function listMyRequests(deps: CoreDeps, actor: Actor): Promise<MaRequest[]> {
  const requests = await deps.requests.listByRequester(actor.id);
  return requests.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

export interface RequestDetail {
  request: MaRequest;
  history: AuditEvent[];
  /** What this actor may do with it now. */
  moves: MoveKind[];
  /** While open: working days in its current status, and that status's service level (if any). */
  waiting?: { workingDays: number; serviceLevel?: number };
  /** The related case ids this asker may be shown (a masked case's only to faculty), and how many are left out. */
  relatedCases: { shown: string[]; hidden: number; notOnFile?: string[] };
}

/** One request with its history, for its requester and faculty. */
export async function showRequest(deps: CoreDeps, actor: Actor, numberText: string): Promise<RequestDetail> {
  const request = await findRequestFor(deps, actor, numberText);
  const clock = serviceClockOf(deps);
  const waiting = OPEN_REQUEST_STATUSES.includes(request.status)
    ? {
        workingDays: workingDaysWaiting(request, dayInZone(deps.clock.now(), deps.timeZone), clock),
        serviceLevel: stageServiceLevel(request.status, clock.levels),
      }
    : undefined;
  return {
    request,
    // Internal notes are for faculty only.
    history: historyFor(actor, await deps.requests.history(request.id)),
    moves: availableMoves(actor, request),
    waiting,
    // Faculty see which ids are not on file; the requester is never told.
    relatedCases: {
      ...relatedCasesShown(actor, request.form.relatedCases),
      ...(isFaculty(actor) ? { notOnFile: await relatedCasesNotOnFile(deps, request) } : {}),
    },
  };
}

export interface QueueEntry {
  request: MaRequest;
  /** Milliseconds since the request was submitted. */
  waitingMs: number;
}

function requireFaculty(actor: Actor, what: string): void {
  if (!isFaculty(actor)) throw new AppError("FORBIDDEN", `Only faculty can see ${what}.`);
}

/** Requests waiting for triage (submitted, or waiting on the requester), oldest first. */
export async function triageQueue(deps: CoreDeps, actor: Actor): Promise<QueueEntry[]> {
  requireFaculty(actor, "the triage queue");
  const now = deps.clock.now().getTime();
  const waiting = await deps.requests.listByStatus(WAITING_FOR_TRIAGE);
  return waiting
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    .map((request) => ({ request, waitingMs: now - request.createdAt.getTime() }));
}

/** Requests the actor leads that are accepted or scheduled. */
export async function myAssignments(deps: CoreDeps, actor: Actor): Promise<MaRequest[]> {
  if (!isFaculty(actor)) return [];
  const open = await deps.requests.listByStatus(OPEN_REQUEST_STATUSES);
  return open.filter((request) => request.lead?.id === actor.id);
}

export interface FacultyLoad {
  person: PersonRef;
  /** Open assignments (accepted or scheduled) they lead. */
  openAssignments: number;
}

/** Every faculty member with their current load, lightest first: the assign picker. */
export async function facultyLoad(deps: CoreDeps, actor: Actor): Promise<FacultyLoad[]> {
  requireFaculty(actor, "faculty assignments");
  const [faculty, load] = await Promise.all([deps.people.listFaculty(), deps.requests.openLoadByLead()]);
  return faculty
    .map((person) => ({ person, openAssignments: load.get(person.id) ?? 0 }))
    .sort((a, b) => a.openAssignments - b.openAssignments || a.person.displayName.localeCompare(b.person.displayName));
}
