import { dayInZone } from "../dates.js";
import type { CoreDeps } from "../deps.js";
import { AppError, type FieldErrors, notFoundOrNotPermitted } from "../errors.js";
import { type Actor, type MaRequest, type Platform, type RequestIntake, zoneOf } from "../model.js";
import type { NewRequest, OwedMessage } from "../ports.js";
import type { OweForMove } from "./move-request.js";
import { MAX_MESSAGE_LENGTH } from "./move-request.js";
import { isGiven, partialRequestForm } from "./partial-form.js";
import { formToRaw, type RawRequestForm, REQUEST_FIELDS } from "./request-form.js";

export interface ReceiveRequestInput {
  actor: Actor;
  /** The fields the text gave (`Field: value` lines), and its body as the problem statement. */
  raw: RawRequestForm;
  title: string;
  attachments: RequestIntake["attachments"];
  platform: Platform;
  /** The inbound message's id: the same message again returns the first request. */
  idempotencyKey: string;
  /** Written in the new request's transaction (see NewRequest). */
  alongside?: NewRequest["alongside"];
  /** What the new request owes; `refused` names the fields given but refused, with why. */
  owe?: (request: MaRequest, refused: FieldErrors) => OwedMessage[];
}

/**
 * A request that arrived as free text: stored whatever it lacks (it is never lost), with
 * the missing fields named for faculty and for the reply that asks the requester for them.
 */
export async function receiveRequest(deps: CoreDeps, input: ReceiveRequestInput): Promise<{ request: MaRequest; created: boolean }> {
  const at = deps.clock.now();
  const { form, missing, refused } = partialRequestForm(input.raw, dayInZone(at, deps.timeZone));
  const owe = input.owe;
  return deps.requests.create(
    {
      requester: {
        id: input.actor.id,
        displayName: input.actor.displayName,
        identityKeys: input.actor.identityKeys,
        ...zoneOf(input.actor),
      },
      form,
      eligibilityCheck: form.component === "OTHER",
      sourcePlatform: input.platform,
      idempotencyKey: input.idempotencyKey,
      intake: { title: input.title.slice(0, 200), missingFields: missing, attachments: input.attachments },
      at,
      alongside: input.alongside,
    },
    owe && ((request) => owe(request, refused)),
  );
}

export interface AddToRequestInput {
  actor: Actor;
  requestId: string;
  /** Fields the requester supplied (may be none). */
  raw: RawRequestForm;
  /** What they wrote besides the fields: kept as a note in the history. */
  text: string;
  idempotencyKey: string;
  owe?: OweForMove;
}

export type AddToRequestResult =
  | { kind: "completed" | "note"; request: MaRequest; summary: string; supplied: string[] }
  /** The message was applied before (same id): nothing changed. */
  | { kind: "seen" };

/**
 * The requester wrote again about their own request (a reply by mail): fields they supply
 * fill the ones still missing or replace what was there; the rest of the text becomes a
 * note in the history. Only the requester may; the status does not change.
 */
export async function addToRequest(deps: CoreDeps, input: AddToRequestInput): Promise<AddToRequestResult> {
  const { actor } = input;
  const request = await deps.requests.findById(input.requestId);
  if (!request) throw notFoundOrNotPermitted("That request");
  if (request.requester.id !== actor.id) throw new AppError("FORBIDDEN", `Only the requester can add to ${request.number}.`);
  const at = deps.clock.now();
  const given = REQUEST_FIELDS.filter((field) => isGiven(input.raw[field]));
  const merged: RawRequestForm = { ...formToRaw(request.form) };
  for (const field of given) merged[field] = input.raw[field];
  // The problem statement came from the first mail's body: a reply's text is a note, not a new one.
  const { form, missing } = partialRequestForm(merged, dayInZone(at, deps.timeZone));
  const supplied = given.filter((field) => !missing.includes(field));
  const text = input.text.trim().slice(0, MAX_MESSAGE_LENGTH);
  const stillMissing = missing.length > 0 ? `; still missing: ${missing.length} field(s)` : "";
  const summary =
    supplied.length > 0
      ? `${actor.displayName || "The requester"} added details${stillMissing || " — the request is complete"}`
      : `${actor.displayName || "The requester"} wrote: ${text}`;
  const updated = await deps.requests.update(
    {
      requestId: request.id,
      expectedVersion: request.version,
      status: request.status,
      set: supplied.length > 0 ? { form, eligibilityCheck: form.component === "OTHER" } : {},
      missingFields: request.intake ? missing : undefined,
      audit: { actorId: actor.id, action: supplied.length > 0 ? "complete" : "requester-note", fromStatus: request.status, note: text },
      at,
      before: request,
      idempotencyKey: input.idempotencyKey,
    },
    (changed) => input.owe?.(changed, summary, changed.lead ? [changed.lead] : []) ?? [],
  );
  if (!updated) {
    const current = await deps.requests.findById(request.id);
    // Another change won the race: the caller reads again and tries once more.
    if (current && current.version !== request.version) throw new AppError("CONFLICT", `${request.number} changed; try again.`);
    return { kind: "seen" };
  }
  return { kind: supplied.length > 0 ? "completed" : "note", request: updated, summary, supplied };
}
