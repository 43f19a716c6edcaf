import type { IsoDate } from "../../core/model.js";
import type { RequestChange, RequestRepository } from "../../core/ports.js";
import { appendRequestEvent } from "../audit-chain.js";
import type { Database } from "../client.js";
import type { Prisma } from "../generated/sqlite/client.js";
import { newRowId } from "../ids.js";
import { guard } from "./errors.js";
import { writeOwed } from "./outbox.js";
import type { OutboxHandoff } from "./outbox-handoff.js";
import { requestActivityBetween } from "./request-activity.js";
import { applyAlongside, STALE_ALONGSIDE, staleAlongside } from "./request-alongside.js";
import { requestHistories } from "./request-history.js";
import { requestInsert } from "./request-insert.js";
import { requestReads } from "./request-reads.js";
import { applyChange, formColumns, REQUEST_INCLUDE, toRequest } from "./request-rows.js";
import { linkedRequestsStatement } from "./request-statements.js";

export function createRequestRepository(database: Database, handoff: OutboxHandoff): RequestRepository {
  const { prisma } = database;
  const linkedRequests = linkedRequestsStatement(database.kysely);
  const readRequests = requestReads(database.kysely);
  const histories = requestHistories(database.kysely);
  const findFirst = (where: Prisma.MaRequestWhereInput) =>
    guard(async () => {
      const row = await prisma.maRequest.findFirst({ where, include: REQUEST_INCLUDE });
      return row ? toRequest(row) : undefined;
    });
  const findMany = (where: Prisma.MaRequestWhereInput, orderBy: Prisma.MaRequestOrderByWithRelationInput = { createdAt: "asc" }) =>
    guard(async () => (await prisma.maRequest.findMany({ where, include: REQUEST_INCLUDE, orderBy })).map(toRequest));

  return {
    create: requestInsert(database, handoff),

    update: (change: RequestChange, owe = () => []) =>
      guard(() => {
        let owed = 0;
        return database
          .interactive(async (tx) => {
            const { set } = change;
            const data: Prisma.MaRequestUncheckedUpdateManyInput = {
              status: change.status,
              version: { increment: 1 },
              updatedAt: change.at,
            };
            if (change.audit.fromStatus !== change.status) data.statusSince = change.at;
            if ("lead" in set) data.leadId = set.lead?.id ?? null;
            if ("scheduledStart" in set) data.scheduledStart = set.scheduledStart ?? null;
            if ("scheduledEnd" in set) data.scheduledEnd = set.scheduledEnd ?? null;
            if ("declineReason" in set) data.declineReason = set.declineReason ?? null;
            if ("question" in set) data.question = set.question ?? null;
            if ("eligibilityCheck" in set) data.eligibilityCheck = set.eligibilityCheck;
            if ("stageCreditDays" in set) data.stageCreditDays = set.stageCreditDays ?? 0;
            if ("duplicateOf" in set) data.duplicateOfId = set.duplicateOf?.id ?? null;
            if (set.calendarSequence !== undefined) data.calendarSequence = set.calendarSequence;
            if (set.form) Object.assign(data, formColumns(set.form));
            if (change.idempotencyKey) {
              // Claimed first: a message seen before stops the change before it writes anything.
              const seen = await tx.idempotencyKey.findUnique({ where: { key: change.idempotencyKey } });
              if (seen) return undefined;
              await tx.idempotencyKey.create({ data: { key: change.idempotencyKey, resultId: change.requestId, createdAt: change.at } });
            }
            // Compare-and-set on the version: a stale card or a concurrent click changes nothing.
            const { count } = await tx.maRequest.updateMany({ where: { id: change.requestId, version: change.expectedVersion }, data });
            if (count === 0) return undefined;
            // Thrown, not returned: the first request's change is rolled back with it.
            const alongsideEvent = change.alongside && (await applyAlongside(tx, change.alongside, change.at));
            if (change.alongside && !alongsideEvent) throw STALE_ALONGSIDE;
            if (change.missingFields) {
              await tx.requestIntake.updateMany({
                where: { requestId: change.requestId },
                data: { missingFields: change.missingFields.join(","), updatedAt: change.at },
              });
            }
            if (set.form) {
              await tx.requestCaseLink.deleteMany({ where: { requestId: change.requestId } });
              await tx.requestCaseLink.createMany({
                data: set.form.relatedCases.map((caseId) => ({ requestId: change.requestId, caseId })),
              });
            }
            // The compare-and-set above proves nothing else changed it: no need to read it back.
            const updated = change.before
              ? applyChange(change.before, change)
              : toRequest(await tx.maRequest.findUniqueOrThrow({ where: { id: change.requestId }, include: REQUEST_INCLUDE }));
            owed = await writeOwed(tx, owe(updated), change.at);
            // Last: the audit chain's head stays locked until commit (src/db/audit-chain.ts).
            const event = { id: newRowId(), requestId: change.requestId, ...change.audit, toStatus: change.status, at: change.at };
            await appendRequestEvent(tx, event);
            if (alongsideEvent) await appendRequestEvent(tx, alongsideEvent);
            return updated;
          })
          .then((updated) => {
            // After the commit: a drain that claimed before it would not have seen them.
            if (owed > 0) handoff.owed();
            return updated;
          })
          .catch(staleAlongside);
      }),

    // Every card drawn and every card action reads its request: Kysely statements, not the client's ten.
    findById: (id) => guard(async () => (await readRequests([id]))[0]),
    findByIds: (ids) => guard(() => readRequests(ids)),
    findByNumber: (number) => findFirst({ number }),
    listByRequester: (personId) =>
      findMany({ OR: [{ requesterId: personId }, { followers: { some: { personId } } }] }, { createdAt: "desc" }),
    listByStatus: (statuses) => findMany({ status: { in: [...statuses] } }),
    listLinkedToCase: (caseId) =>
      guard(async () => {
        // Through the link table's caseId index first: a relation filter would test every request.
        const links = (await linkedRequests({ caseId })).rows;
        if (links.length === 0) return [];
        return (
          await prisma.maRequest.findMany({
            where: { id: { in: links.map((link) => link.requestId) } },
            include: REQUEST_INCLUDE,
            orderBy: { createdAt: "asc" },
          })
        ).map(toRequest);
      }),
    listScheduledBetween: (from: IsoDate, to: IsoDate) => findMany({ scheduledStart: { gte: from, lte: to } }, { scheduledStart: "asc" }),

    history: async (requestId) => (await histories([requestId])).get(requestId) ?? [],
    eventsOf: (requestIds, actions) => histories(requestIds, actions),

    recordEvent: (event) =>
      guard(async () => {
        await database.interactive((tx) =>
          appendRequestEvent(tx, {
            id: newRowId(),
            requestId: event.requestId,
            actorId: event.actorId,
            action: event.action,
            fromStatus: event.status,
            toStatus: event.status,
            note: event.note,
            at: event.at,
          }),
        );
      }),

    openLoadByLead: () =>
      guard(async () => {
        const groups = await prisma.maRequest.groupBy({
          by: ["leadId"],
          where: { status: { in: ["ACCEPTED", "SCHEDULED"] }, leadId: { not: null } },
          _count: { _all: true },
        });
        return new Map(groups.map((group) => [group.leadId ?? "", group._count._all]));
      }),

    activityBetween: (from, to) => requestActivityBetween(prisma, from, to),
  };
}
