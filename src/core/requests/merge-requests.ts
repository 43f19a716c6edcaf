import type { CoreDeps } from "../deps.js";
import { labelOf, OPEN_REQUEST_STATUSES } from "../domain.js";
import { AppError } from "../errors.js";
import type { Actor, MaRequest } from "../model.js";
import { isFaculty } from "../permissions.js";
import type { OwedMessage } from "../ports.js";
import { findRequestFor } from "./find-request.js";

export interface MergeInput {
  actor: Actor;
  /** The duplicate (B). */
  fromText: string;
  /** The request it duplicates (A), which goes on. */
  intoText: string;
  /**
   * What the merge owes, built from both requests as stored: card redraws of both, and
   * the duplicate's requester told once.
   */
  owe?: (merged: { duplicate: MaRequest; into: MaRequest; newFollower: boolean }) => OwedMessage[];
}

export interface MergeResult {
  duplicate: MaRequest;
  into: MaRequest;
  /** Whether the duplicate's requester became a follower (not when they filed or follow it already). */
  newFollower: boolean;
}

/**
 * Merges a duplicate into the request it duplicates (faculty): the duplicate is declined as
 * DUPLICATE with `duplicateOf` set (it reads "Duplicate of MA-…"), its requester follows
 * the other from then on, and both get an audit event, in one transaction. Refused: a
 * request into itself, into a closed one, a closed duplicate, and chains (a request others
 * were merged into is not merged again; a duplicate is closed, so nothing merges into it).
 */
export async function mergeRequests(deps: CoreDeps, input: MergeInput): Promise<MergeResult> {
  const { actor } = input;
  if (!isFaculty(actor)) throw new AppError("FORBIDDEN", "Only faculty can merge requests.");
  const duplicate = await findRequestFor(deps, actor, input.fromText);
  const into = await findRequestFor(deps, actor, input.intoText);
  if (duplicate.id === into.id) throw new AppError("INVALID_INPUT", `${duplicate.number} cannot be merged into itself.`);
  if (!OPEN_REQUEST_STATUSES.includes(into.status)) {
    const why = into.duplicateOf ? `a duplicate of ${into.duplicateOf.number}` : labelOf(into.status).toLowerCase();
    throw new AppError("CONFLICT", `${into.number} is ${why}: merge into an open request.`);
  }
  if (!OPEN_REQUEST_STATUSES.includes(duplicate.status)) {
    throw new AppError(
      "CONFLICT",
      `${duplicate.number} is ${labelOf(duplicate.status).toLowerCase()}: only an open request can be merged.`,
    );
  }
  if ((duplicate.followers ?? []).length > 0) {
    throw new AppError(
      "CONFLICT",
      `Other requests were merged into ${duplicate.number}: it is not merged again (no chains). Merge ${into.number} into it instead.`,
    );
  }
  const follower = duplicate.requester;
  const newFollower = follower.id !== into.requester.id && !(into.followers ?? []).some((person) => person.id === follower.id);
  const at = deps.clock.now();
  const after: MaRequest = {
    ...into,
    version: into.version + 1,
    updatedAt: at,
    followers: newFollower ? [...(into.followers ?? []), follower] : into.followers,
  };
  const updated = await deps.requests.update(
    {
      requestId: duplicate.id,
      expectedVersion: duplicate.version,
      status: "DECLINED",
      set: { declineReason: "DUPLICATE", duplicateOf: { id: into.id, number: into.number }, question: undefined, stageCreditDays: 0 },
      audit: { actorId: actor.id, action: "merge", fromStatus: duplicate.status, note: `Duplicate of ${into.number}` },
      at,
      before: duplicate,
      alongside: {
        requestId: into.id,
        expectedVersion: into.version,
        audit: {
          actorId: actor.id,
          action: "merged-in",
          status: into.status,
          note: `${duplicate.number} merged into it as a duplicate${newFollower ? "; its requester follows it" : ""}`,
        },
        ...(newFollower ? { followerId: follower.id } : {}),
      },
    },
    (merged) => input.owe?.({ duplicate: merged, into: after, newFollower }) ?? [],
  );
  if (!updated) throw new AppError("CONFLICT", `${duplicate.number} or ${into.number} changed meanwhile; try again.`);
  return { duplicate: updated, into: after, newFollower };
}
