import { MASKED_CUSTOMER_CODE } from "./ids/case-id.js";
import type { Actor, MaRequest, Role } from "./model.js";

/**
 * Who may see and do what: the one place these rules live. Adapters never decide.
 * - everyone is a requester and sees their own requests;
 * - faculty see all requests and cases and triage;
 * - admin can do what faculty can, plus roles and the triage channel;
 * - case-viewer:<scope> sees cases whose id starts with the scope;
 * - masked (XX) cases: faculty and admin only.
 */

export function hasRole(actor: Actor, role: Role["role"]): boolean {
  return actor.roles.some((grant) => grant.role === role);
}

export function isAdmin(actor: Actor): boolean {
  return hasRole(actor, "admin");
}

/** Faculty, or admin (who can do what faculty can). */
export function isFaculty(actor: Actor): boolean {
  return hasRole(actor, "faculty") || isAdmin(actor);
}

export function caseViewerScopes(actor: Actor): string[] {
  return actor.roles.flatMap((grant) => (grant.role === "case-viewer" ? [grant.scope] : []));
}

/** A scope `BN` matches `BN-…`; `BN-D` matches `BN-D-…`. Never a partial part (`B` does not match `BN`). */
function scopeCovers(scope: string, caseId: string): boolean {
  return caseId === scope || caseId.startsWith(`${scope}-`);
}

/** A masked (`XX`) case: handled as Confidential, faculty and admin only. */
export function isMaskedCaseId(caseId: string): boolean {
  return caseId.startsWith(`${MASKED_CUSTOMER_CODE}-`);
}

export function canSeeCase(actor: Actor, caseId: string): boolean {
  if (isFaculty(actor)) return true;
  if (isMaskedCaseId(caseId)) return false;
  return caseViewerScopes(actor).some((scope) => scopeCovers(scope, caseId));
}

/**
 * Case id prefixes the actor may see, for queries: undefined means all.
 * A requester without case-viewer grants sees none. Linking a case on a request
 * grants nothing.
 */
export function visibleCasePrefixes(actor: Actor): string[] | undefined {
  if (isFaculty(actor)) return undefined;
  return caseViewerScopes(actor)
    .filter((scope) => !scope.startsWith(MASKED_CUSTOMER_CODE))
    .map((scope) => `${scope}-`);
}

export function isRequester(actor: Actor, request: MaRequest): boolean {
  return request.requester.id === actor.id;
}

export function canSeeRequest(actor: Actor, request: MaRequest): boolean {
  return isFaculty(actor) || isRequester(actor, request);
}

/**
 * The related case ids a request shows to a viewer: a masked case's id only to someone
 * who may see it. `undefined` is a channel (anyone in it may read the card), where masked
 * ids are never shown; `hidden` says how many were left out.
 */
export function relatedCasesShown(viewer: Actor | undefined, caseIds: readonly string[]): { shown: string[]; hidden: number } {
  const shown = caseIds.filter((caseId) => !isMaskedCaseId(caseId) || (viewer !== undefined && canSeeCase(viewer, caseId)));
  return { shown, hidden: caseIds.length - shown.length };
}

/**
 * Who may have a record's reminders sent where. A channel (anyone in it reads them): faculty
 * only. Their own 1:1 chat with the bot: whoever may see the record (a case's viewers, a
 * request's requester).
 */
export function maySubscribe(actor: Actor, place: "channel" | "personal", maySeeTarget: boolean): boolean {
  return place === "channel" ? isFaculty(actor) : maySeeTarget;
}

/** Marking a milestone done: faculty, admin, or case-viewers of that case. */
export function canUpdateMilestone(actor: Actor, caseId: string): boolean {
  return canSeeCase(actor, caseId);
}
