import type { CoreDeps } from "../deps.js";
import { AppError, notFoundOrNotPermitted } from "../errors.js";
import { parseRequestNumber } from "../ids/request-number.js";
import type { Actor, MaRequest } from "../model.js";
import { canSeeRequest } from "../permissions.js";

/**
 * The request a typed id names, as this actor may see it: a malformed id says what ids look
 * like; one not on file and one the actor may not see read the same.
 */
export async function findRequestFor(deps: CoreDeps, actor: Actor, numberText: string): Promise<MaRequest> {
  const number = parseRequestNumber(numberText);
  if (!number) {
    throw new AppError("INVALID_INPUT", `"${numberText.trim()}" is not a request id; they look like MA-2026-0007.`);
  }
  const request = await deps.requests.findByNumber(number);
  if (!request || !canSeeRequest(actor, request)) throw notFoundOrNotPermitted(`Request ${number}`);
  return request;
}
