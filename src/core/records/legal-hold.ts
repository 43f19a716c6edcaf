import type { Clock } from "../clock.js";
import { AppError } from "../errors.js";
import { parseRequestNumber } from "../ids/request-number.js";
import type { Actor } from "../model.js";
import { isAdmin } from "../permissions.js";
import type { RequestRepository } from "../ports.js";
import type { RecordsStore } from "./ports.js";

/** A legal hold's reason is kept short: it is a note, not a document. */
export const MAX_HOLD_REASON = 500;

export interface LegalHoldDeps {
  requests: RequestRepository;
  records?: RecordsStore;
  clock: Clock;
}

async function target(deps: LegalHoldDeps, actor: Actor, number: string) {
  // Admins only; anyone else hears the same as for a request that does not exist.
  if (!isAdmin(actor)) throw new AppError("FORBIDDEN", "Only admins can put a request on legal hold or release it.");
  if (!deps.records) throw new AppError("UNAVAILABLE", "Legal holds are not available here.");
  const id = parseRequestNumber(number);
  const request = id ? await deps.requests.findByNumber(id) : undefined;
  if (!request) throw new AppError("NOT_FOUND", `Request ${number} was not found.`);
  return { request, records: deps.records };
}

/** `hold MA-… <why>`: the request is never purged while held. Admins only; audited. */
export async function holdRequest(
  deps: LegalHoldDeps,
  actor: Actor,
  number: string,
  why: string,
): Promise<{ number: string; already: boolean }> {
  const reason = why.trim();
  if (reason === "") throw new AppError("INVALID_INPUT", "Say why the request is held, e.g. hold MA-2026-0007 litigation hold per OGC.");
  if (reason.length > MAX_HOLD_REASON) throw new AppError("INVALID_INPUT", `Keep the reason under ${MAX_HOLD_REASON} characters.`);
  const { request, records } = await target(deps, actor, number);
  const result = await records.setHold(request.id, reason, {
    actorId: actor.id,
    status: request.status,
    note: reason,
    at: deps.clock.now(),
  });
  if (!result) throw new AppError("NOT_FOUND", `Request ${number} was not found.`);
  return { number: request.number, already: result.before !== null };
}

/** `release MA-…`: ends a legal hold. Admins only; audited. */
export async function releaseRequest(deps: LegalHoldDeps, actor: Actor, number: string): Promise<{ number: string; wasHeld: boolean }> {
  const { request, records } = await target(deps, actor, number);
  const result = await records.setHold(request.id, null, { actorId: actor.id, status: request.status, note: "", at: deps.clock.now() });
  if (!result) throw new AppError("NOT_FOUND", `Request ${number} was not found.`);
  return { number: request.number, wasHeld: result.before !== null };
}
