import type { Kysely } from "kysely";
import type { AuditEvent } from "../../core/model.js";
import type { DB } from "../kysely.js";
import { inPieces, prepareForLists } from "../prepared.js";
import { instant, stored, storedOptional, ZRequestStatus } from "./columns.js";
import { guard } from "./errors.js";
import { peopleReads } from "./request-reads.js";
import { toPersonRef } from "./request-rows.js";

/**
 * Requests' audit events in the order they happened, each with the person who acted: the
 * events (only `actions`' when given), then the people who acted (skipped when there are
 * none), two statements compiled once per shape (src/db/prepared.ts) however many requests.
 */
export function requestHistories(db: Kysely<DB>) {
  const columns = ["id", "requestId", "actorId", "action", "fromStatus", "toStatus", "note", "at"] as const;
  const all = prepareForLists(db, (ids) =>
    db.selectFrom("AuditEvent").select(columns).where("requestId", "in", ids).orderBy("at").orderBy("id"),
  );
  const some = prepareForLists(db, (ids, actions) =>
    db.selectFrom("AuditEvent").select(columns).where("requestId", "in", ids).where("action", "in", actions).orderBy("at").orderBy("id"),
  );
  const people = peopleReads(db);
  return (requestIds: readonly string[], actions?: ReadonlySet<string>): Promise<Map<string, AuditEvent[]>> =>
    guard(async () => {
      const histories = new Map<string, AuditEvent[]>();
      if (requestIds.length === 0 || actions?.size === 0) return histories;
      const rows = [];
      for (const piece of inPieces([...new Set(requestIds)]))
        rows.push(...(actions ? await some(piece, [...actions]) : await all(piece)).rows);
      if (rows.length === 0) return histories;
      const actors = await people(rows.map((row) => row.actorId));
      for (const row of rows) {
        const actor = actors.get(row.actorId);
        const event: AuditEvent = {
          id: row.id,
          requestId: row.requestId,
          actor: actor ? toPersonRef(actor) : { id: row.actorId, displayName: "unknown", identityKeys: [] },
          action: row.action,
          fromStatus: storedOptional(ZRequestStatus, "AuditEvent.fromStatus", row.fromStatus),
          toStatus: stored(ZRequestStatus, "AuditEvent.toStatus", row.toStatus),
          note: row.note,
          at: instant(row.at),
        };
        const events = histories.get(row.requestId);
        if (events) events.push(event);
        else histories.set(row.requestId, [event]);
      }
      return histories;
    });
}
