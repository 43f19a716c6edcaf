import type { AuditEvent } from "../../core/model.js";
import type { Db } from "../client.js";
import { stored, storedOptional, ZRequestStatus } from "./columns.js";
import { guard } from "./errors.js";
import { PERSON, toPersonRef } from "./request-rows.js";

/** A request's audit events in the order they happened, each with the person who acted. */
export async function requestHistory(prisma: Db, requestId: string): Promise<AuditEvent[]> {
  return (await requestHistories(prisma, [requestId])).get(requestId) ?? [];
}

/**
 * The histories of several requests (only `actions`' events, when given) with two reads in
 * all: the events, then the people who acted (skipped when there are none).
 */
export function requestHistories(
  prisma: Db,
  requestIds: readonly string[],
  actions?: ReadonlySet<string>,
): Promise<Map<string, AuditEvent[]>> {
  return guard(async () => {
    const histories = new Map<string, AuditEvent[]>();
    if (requestIds.length === 0) return histories;
    const rows = await prisma.auditEvent.findMany({
      where: {
        requestId: requestIds.length === 1 ? requestIds[0]! : { in: [...requestIds] },
        ...(actions ? { action: { in: [...actions] } } : {}),
      },
      orderBy: [{ at: "asc" }, { id: "asc" }],
    });
    if (rows.length === 0) return histories;
    const actorIds = [...new Set(rows.map((row) => row.actorId))];
    const people = await prisma.person.findMany({ where: { id: { in: actorIds } }, ...PERSON });
    const byId = new Map(people.map((person) => [person.id, toPersonRef(person)]));
    for (const row of rows) {
      const event: AuditEvent = {
        id: row.id,
        requestId: row.requestId,
        actor: byId.get(row.actorId) ?? { id: row.actorId, displayName: "unknown", identityKeys: [] },
        action: row.action,
        fromStatus: storedOptional(ZRequestStatus, "AuditEvent.fromStatus", row.fromStatus),
        toStatus: stored(ZRequestStatus, "AuditEvent.toStatus", row.toStatus),
        note: row.note,
        at: row.at,
      };
      const events = histories.get(row.requestId);
      if (events) events.push(event);
      else histories.set(row.requestId, [event]);
    }
    return histories;
  });
}
