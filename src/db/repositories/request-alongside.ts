import type { RequestChange } from "../../core/ports.js";
import type { TxClient } from "../client.js";
import { newRowId } from "../ids.js";

/** The second request of a change moved on: the whole change is rolled back and reads as stale. */
export const STALE_ALONGSIDE = new Error("the second request of the change is stale");

/** The second request of a change (a merge's target): compare-and-set, its audit event, a follower. */
export async function applyAlongside(tx: TxClient, alongside: NonNullable<RequestChange["alongside"]>, at: Date): Promise<boolean> {
  const { count } = await tx.maRequest.updateMany({
    where: { id: alongside.requestId, version: alongside.expectedVersion },
    data: { version: { increment: 1 }, updatedAt: at },
  });
  if (count === 0) return false;
  const { audit } = alongside;
  await tx.auditEvent.create({
    data: {
      id: newRowId(),
      requestId: alongside.requestId,
      actorId: audit.actorId,
      action: audit.action,
      fromStatus: audit.status,
      toStatus: audit.status,
      note: audit.note,
      at,
    },
  });
  if (alongside.followerId) {
    const key = { requestId: alongside.requestId, personId: alongside.followerId };
    const following = await tx.requestFollower.findUnique({ where: { requestId_personId: key } });
    if (!following) await tx.requestFollower.create({ data: { id: newRowId(), ...key, createdAt: at } });
  }
  return true;
}

/** A change rolled back because its second request was stale reads as stale (undefined); anything else is thrown on. */
export function staleAlongside(error: unknown): undefined {
  if (error === STALE_ALONGSIDE) return undefined;
  throw error;
}
