import type { RequestChange } from "../../core/ports.js";
import type { RequestEventRow } from "../audit-chain.js";
import type { TxClient } from "../client.js";
import { newRowId } from "../ids.js";

/** The second request of a change moved on: the whole change is rolled back and reads as stale. */
export const STALE_ALONGSIDE = new Error("the second request of the change is stale");

/**
 * The second request of a change (a merge's target): compare-and-set and a follower. Returns
 * its audit event for the caller to append with the first one's, last (src/db/audit-chain.ts),
 * or undefined when it moved on.
 */
export async function applyAlongside(
  tx: TxClient,
  alongside: NonNullable<RequestChange["alongside"]>,
  at: Date,
): Promise<RequestEventRow | undefined> {
  const { count } = await tx.maRequest.updateMany({
    where: { id: alongside.requestId, version: alongside.expectedVersion },
    data: { version: { increment: 1 }, updatedAt: at },
  });
  if (count === 0) return undefined;
  if (alongside.followerId) {
    const key = { requestId: alongside.requestId, personId: alongside.followerId };
    const following = await tx.requestFollower.findUnique({ where: { requestId_personId: key } });
    if (!following) await tx.requestFollower.create({ data: { id: newRowId(), ...key, createdAt: at } });
  }
  const { audit } = alongside;
  return {
    id: newRowId(),
    requestId: alongside.requestId,
    actorId: audit.actorId,
    action: audit.action,
    fromStatus: audit.status,
    toStatus: audit.status,
    note: audit.note,
    at,
  };
}

/** A change rolled back because its second request was stale reads as stale (undefined); anything else is thrown on. */
export function staleAlongside(error: unknown): undefined {
  if (error === STALE_ALONGSIDE) return undefined;
  throw error;
}
