import type { AuditEvent } from "../../core/model.js";
import type { Db } from "../client.js";
import { stored, storedOptional, ZRequestStatus } from "./columns.js";
import { guard } from "./errors.js";
import { PERSON, toPersonRef } from "./request-rows.js";

/** A request's audit events in the order they happened, each with the person who acted. */
export function requestHistory(prisma: Db, requestId: string): Promise<AuditEvent[]> {
  return guard(async () => {
    const rows = await prisma.auditEvent.findMany({ where: { requestId }, orderBy: [{ at: "asc" }, { id: "asc" }] });
    const actorIds = [...new Set(rows.map((row) => row.actorId))];
    const people = await prisma.person.findMany({ where: { id: { in: actorIds } }, ...PERSON });
    const byId = new Map(people.map((person) => [person.id, toPersonRef(person)]));
    return rows.map(
      (row): AuditEvent => ({
        id: row.id,
        requestId: row.requestId,
        actor: byId.get(row.actorId) ?? { id: row.actorId, displayName: "unknown", identityKeys: [] },
        action: row.action,
        fromStatus: storedOptional(ZRequestStatus, "AuditEvent.fromStatus", row.fromStatus),
        toStatus: stored(ZRequestStatus, "AuditEvent.toStatus", row.toStatus),
        note: row.note,
        at: row.at,
      }),
    );
  });
}
