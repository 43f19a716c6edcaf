import { dayInZone } from "../dates.js";
import type { CoreDeps } from "../deps.js";
import { labelOf } from "../domain.js";
import { AppError } from "../errors.js";
import type { Actor, IsoDate, MaRequest, PersonRef } from "../model.js";
import { isFaculty, isRequester } from "../permissions.js";
import { addWorkingDays } from "../service-levels/working-days.js";
import { findRequestFor } from "./find-request.js";
import { MAX_MESSAGE_LENGTH, type OweForMove } from "./move-request.js";
import { peopleToTell } from "./people-to-tell.js";

/** Statuses a request may be reopened from. */
export const REOPENABLE = ["DELIVERED", "DECLINED"] as const;

export interface ReopenInput {
  actor: Actor;
  numberText: string;
  why: string;
  owe?: OweForMove;
  /** The inbound message that reopened it (a mail): the same message never reopens it twice. */
  idempotencyKey?: string;
}

/** The last working day a request closed on `closedDay` may be reopened. */
export function reopenUntil(closedDay: IsoDate, deps: Pick<CoreDeps, "calendar" | "serviceLevels">): IsoDate {
  return addWorkingDays(closedDay, deps.serviceLevels.reopenWindowDays, deps.calendar);
}

/**
 * Brings a delivered or declined request back, with the same id, within the reopen window
 * (REOPEN_WINDOW_DAYS working days after it closed): to its lead when it had one (ACCEPTED,
 * the lead told), else to triage (SUBMITTED). Its requester or faculty may; the
 * service-level clock starts again. A merged duplicate is not reopened: its requester
 * follows the request it duplicates.
 */
export async function reopenRequest(deps: CoreDeps, input: ReopenInput) {
  const { actor } = input;
  const request = await findRequestFor(deps, actor, input.numberText);
  if (!isFaculty(actor) && !isRequester(actor, request)) {
    throw new AppError("FORBIDDEN", `Only its requester or faculty can reopen ${request.number}.`);
  }
  if (request.duplicateOf) {
    throw new AppError(
      "CONFLICT",
      `${request.number} was merged into ${request.duplicateOf.number} as a duplicate; that request goes on, and you are told of its changes.`,
    );
  }
  if (!(REOPENABLE as readonly string[]).includes(request.status)) {
    throw new AppError(
      "CONFLICT",
      `${request.number} is ${labelOf(request.status).toLowerCase()}: only a delivered or declined request can be reopened.`,
    );
  }
  const why = input.why.trim().slice(0, MAX_MESSAGE_LENGTH);
  if (why === "") throw new AppError("INVALID_INPUT", `Say why ${request.number} should be reopened.`);
  const at = deps.clock.now();
  const closedOn = dayInZone(request.statusSince, deps.timeZone);
  const until = reopenUntil(closedOn, deps);
  if (dayInZone(at, deps.timeZone) > until) {
    throw new AppError(
      "CONFLICT",
      `${request.number} closed on ${closedOn}; it could be reopened until ${until} (${deps.serviceLevels.reopenWindowDays} working days). ` +
        `Please file a new request with \`new\` and name ${request.number} in its problem statement, so faculty see the link.`,
    );
  }
  const status = request.lead ? "ACCEPTED" : "SUBMITTED";
  const summary = `Reopened by ${actor.displayName || "someone"}: ${why} — ${
    request.lead ? `back with its lead, ${request.lead.displayName}` : "back in the triage queue"
  }`;
  const updated = await deps.requests.update(
    {
      requestId: request.id,
      expectedVersion: request.version,
      status,
      // A new round: the dates and the reason it closed no longer hold; its clock starts again.
      set: { scheduledStart: undefined, scheduledEnd: undefined, declineReason: undefined, question: undefined, stageCreditDays: 0 },
      audit: { actorId: actor.id, action: "reopen", fromStatus: request.status, note: why },
      at,
      before: request,
      idempotencyKey: input.idempotencyKey,
    },
    (changed) => input.owe?.(changed, summary, peopleToTell(changed, actor)) ?? [],
  );
  if (!updated) throw new AppError("CONFLICT", `${request.number} changed meanwhile, or this was done already; try again.`);
  return { request: updated, summary, notify: peopleToTell(updated, actor) as PersonRef[], reopenedFrom: request as MaRequest };
}
