import type { ChainLink } from "../../core/records/audit-chain.js";
import type { RecordsStore } from "../../core/records/ports.js";
import { appendOtherEvent, appendRequestEvent } from "../audit-chain.js";
import type { Database, TxClient } from "../client.js";
import { newRowId } from "../ids.js";
import { PURGE_ACTION, type TombstoneNote } from "./audit-trail.js";
import { guard } from "./errors.js";

const subjectKeyOf = (requestId: string) => `request:${requestId}`;

/** Everything that names a request, counted (the dry run) or deleted (the purge). */
function dependants(
  tx: Pick<TxClient, "auditEvent" | "outbox" | "subscription" | "mailMessage" | "triageCard" | "requestCaseLink">,
  id: string,
) {
  return {
    events: { where: { requestId: id }, table: tx.auditEvent },
    outbox: { where: { subjectKey: subjectKeyOf(id) }, table: tx.outbox },
    subscriptions: { where: { targetType: "request", targetId: id }, table: tx.subscription },
    mails: { where: { requestId: id }, table: tx.mailMessage },
    "triage cards": { where: { requestId: id }, table: tx.triageCard },
    "case links": { where: { requestId: id }, table: tx.requestCaseLink },
  } as const;
}

type Counted = { count(args: { where: object }): Promise<number>; deleteMany(args: { where: object }): Promise<{ count: number }> };

/**
 * Legal holds and purges.
 *
 * How a purge keeps the chain verifiable: the chain links events, not requests. Deleting a
 * request's events would leave gaps no walk could cross, so its tombstone (one WorkbenchEvent,
 * appended to the chain in the same transaction) keeps each deleted event's link — its place,
 * the hash it followed and its own hash — but none of its content. `verify-audit --database`
 * crosses a gap only with such a link, and the tombstone itself is chained, so a link cannot
 * be forged or dropped without the walk naming it; every event still stored is checked as before.
 */
export function createRecordsStore(database: Database): RecordsStore {
  const { prisma } = database;
  return {
    closedBefore: (statuses, cutoff) =>
      guard(async () => {
        const rows = await prisma.maRequest.findMany({
          where: { status: { in: [...statuses] }, statusSince: { lt: cutoff } },
          select: { id: true, number: true, status: true, createdAt: true, statusSince: true, holdReason: true },
          orderBy: [{ statusSince: "asc" }, { number: "asc" }],
        });
        const candidates = [];
        for (const row of rows) {
          const counts: Record<string, number> = {};
          for (const [name, part] of Object.entries(dependants(prisma, row.id)))
            counts[name] = await (part.table as unknown as Counted).count({ where: part.where });
          candidates.push({
            id: row.id,
            number: row.number,
            status: row.status,
            createdAt: row.createdAt,
            closedAt: row.statusSince,
            ...(row.holdReason !== null ? { holdReason: row.holdReason } : {}),
            counts,
          });
        }
        return candidates;
      }),

    purge: (requestId, rule, tombstone) =>
      guard(() =>
        database.interactive(
          async (tx) => {
            // Claimed with a conditional update, which locks the row: a hold or a reopening
            // committed since the listing wins, and one arriving now waits for this purge.
            const { count } = await tx.maRequest.updateMany({
              where: { id: requestId, status: { in: [...rule.statuses] }, statusSince: { lt: rule.cutoff }, holdReason: null },
              data: { version: { increment: 1 } },
            });
            if (count === 0) return false;
            const request = await tx.maRequest.findUniqueOrThrow({ where: { id: requestId } });
            const removed: ChainLink[] = (
              await tx.auditEvent.findMany({ where: { requestId, seq: { not: null } }, orderBy: { seq: "asc" } })
            ).map((event) => ({ seq: event.seq ?? 0, prevHash: event.prevHash, hash: event.hash }));
            for (const part of Object.values(dependants(tx, requestId)))
              await (part.table as unknown as Counted).deleteMany({ where: part.where });
            await tx.idempotencyKey.deleteMany({ where: { resultId: requestId } });
            await tx.maRequest.delete({ where: { id: requestId } });
            const note: TombstoneNote & { purgedBy: string } = {
              requestId,
              number: request.number,
              status: request.status,
              createdAt: request.createdAt.toISOString(),
              closedAt: request.statusSince.toISOString(),
              purgedBy: tombstone.purgedBy,
              removed,
            };
            // Last: the chain's head stays locked until commit (src/db/audit-chain.ts).
            await appendOtherEvent(tx, {
              id: newRowId(),
              actorId: tombstone.actorId,
              action: PURGE_ACTION,
              subject: request.number,
              note: JSON.stringify(note),
              at: tombstone.at,
            });
            return true;
          },
          { timeout: 60_000 },
        ),
      ),

    setHold: (requestId, reason, audit) =>
      guard(() =>
        database.interactive(async (tx) => {
          const row = await tx.maRequest.findUnique({ where: { id: requestId }, select: { holdReason: true } });
          if (!row) return undefined;
          await tx.maRequest.update({ where: { id: requestId }, data: { holdReason: reason } });
          await appendRequestEvent(tx, {
            id: newRowId(),
            requestId,
            actorId: audit.actorId,
            action: reason === null ? "release" : "hold",
            fromStatus: audit.status,
            toStatus: audit.status,
            note: audit.note,
            at: audit.at,
          });
          return { before: row.holdReason };
        }),
      ),
  };
}
