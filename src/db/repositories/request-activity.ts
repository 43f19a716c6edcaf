import type { RequestActivity } from "../../core/ports.js";
import type { Db } from "../client.js";
import { stored, storedOptional, ZRequestStatus } from "./columns.js";
import { guard } from "./errors.js";
import { REQUEST_INCLUDE, toRequest } from "./request-rows.js";

/** Requests with any audit event in [from, to], each with its whole trail: what reports count from. */
export function requestActivityBetween(prisma: Db, from: Date, to: Date): Promise<RequestActivity[]> {
  return guard(async () => {
    const rows = await prisma.maRequest.findMany({
      where: { events: { some: { at: { gte: from, lte: to } } } },
      include: {
        ...REQUEST_INCLUDE,
        events: { select: { action: true, fromStatus: true, toStatus: true, at: true }, orderBy: [{ at: "asc" }, { id: "asc" }] },
      },
      orderBy: { createdAt: "asc" },
    });
    return rows.map((row) => ({
      request: toRequest(row),
      events: row.events.map((event) => ({
        action: event.action,
        fromStatus: storedOptional(ZRequestStatus, "AuditEvent.fromStatus", event.fromStatus),
        toStatus: stored(ZRequestStatus, "AuditEvent.toStatus", event.toStatus),
        at: event.at,
      })),
    }));
  });
}
