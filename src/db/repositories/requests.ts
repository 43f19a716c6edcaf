import { randomUUID } from "node:crypto";
import type { RequestStatus } from "../../core/domain.js";
import { formatRequestNumber } from "../../core/ids/request-number.js";
import type { AuditEvent, IsoDate, MaRequest } from "../../core/model.js";
import type { NewRequest, OweMessages, RequestChange, RequestRepository } from "../../core/ports.js";
import type { Db } from "../client.js";
import type { Prisma } from "../generated/sqlite/client.js";
import { guard, isUniqueViolation } from "./errors.js";
import { writeOwed } from "./outbox.js";
import { requestActivityBetween } from "./request-activity.js";
import { formColumns, PERSON, REQUEST_INCLUDE, toPersonRef, toRequest } from "./request-rows.js";

/** How often a submit is retried when a concurrent one took the same first counter row. */
const SUBMIT_ATTEMPTS = 5;

export function createRequestRepository(prisma: Db): RequestRepository {
  const findFirst = (where: Prisma.MaRequestWhereInput) =>
    guard(async () => {
      const row = await prisma.maRequest.findFirst({ where, include: REQUEST_INCLUDE });
      return row ? toRequest(row) : undefined;
    });
  const findMany = (where: Prisma.MaRequestWhereInput, orderBy: Prisma.MaRequestOrderByWithRelationInput = { createdAt: "asc" }) =>
    guard(async () => (await prisma.maRequest.findMany({ where, include: REQUEST_INCLUDE, orderBy })).map(toRequest));

  async function insert(input: NewRequest, owe: OweMessages): Promise<{ request: MaRequest; created: boolean }> {
    return prisma.$transaction(async (tx) => {
      // Keys are the submitter's own: someone else's key (guessed or replayed) finds nothing.
      const idempotencyKey = input.idempotencyKey ? `${input.requester.id}:${input.idempotencyKey}` : undefined;
      if (idempotencyKey) {
        const seen = await tx.idempotencyKey.findUnique({ where: { key: idempotencyKey } });
        if (seen) {
          const first = await tx.maRequest.findUnique({ where: { id: seen.resultId }, include: REQUEST_INCLUDE });
          if (first) return { request: toRequest(first), created: false };
        }
      }
      const year = input.at.getUTCFullYear();
      // The counter row update takes a row lock, so concurrent submits get distinct,
      // consecutive numbers; a rolled-back submit gives its number back.
      const counter = await tx.requestCounter.upsert({
        where: { year },
        create: { year, last: 1 },
        update: { last: { increment: 1 } },
      });
      const number = formatRequestNumber(year, counter.last);
      // Flat inserts without RETURNING, with the id made here: a nested create read the row
      // back and cost a statement per relation (counted with Prisma's query events).
      const id = randomUUID();
      await tx.maRequest.createMany({
        data: [
          {
            id,
            number,
            year,
            seq: counter.last,
            status: "SUBMITTED",
            requesterId: input.requester.id,
            ...formColumns(input.form),
            eligibilityCheck: input.eligibilityCheck,
            sourcePlatform: input.sourcePlatform,
            createdAt: input.at,
            updatedAt: input.at,
            statusSince: input.at,
          },
        ],
      });
      if (input.form.relatedCases.length > 0) {
        await tx.requestCaseLink.createMany({ data: input.form.relatedCases.map((caseId) => ({ requestId: id, caseId })) });
      }
      await tx.auditEvent.createMany({
        data: [
          {
            requestId: id,
            actorId: input.requester.id,
            action: "submit",
            toStatus: "SUBMITTED",
            note: input.eligibilityCheck ? "Component OTHER: eligibility check needed" : "",
            at: input.at,
          },
        ],
      });
      if (idempotencyKey) {
        await tx.idempotencyKey.createMany({ data: [{ key: idempotencyKey, resultId: id, createdAt: input.at }] });
      }
      const request: MaRequest = {
        id,
        number,
        status: "SUBMITTED",
        version: 1,
        requester: input.requester,
        form: { ...input.form, relatedCases: [...input.form.relatedCases].sort() },
        eligibilityCheck: input.eligibilityCheck,
        statusSince: input.at,
        createdAt: input.at,
        updatedAt: input.at,
      };
      // Every key a new request owes names it: none can have been owed before.
      await writeOwed(tx, owe(request), input.at, { newSubject: true });
      return { request, created: true };
    });
  }

  return {
    create: (input, owe = () => []) =>
      guard(async () => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await insert(input, owe);
          } catch (error) {
            // A unique violation means a concurrent submit won a race: the same
            // idempotency key (the retry then finds it), or the year's first counter row.
            if (!isUniqueViolation(error) || attempt >= SUBMIT_ATTEMPTS) throw error;
          }
        }
      }),

    update: (change: RequestChange, owe = () => []) =>
      guard(() =>
        prisma.$transaction(async (tx) => {
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
          if (set.form) Object.assign(data, formColumns(set.form));
          // Compare-and-set on the version: a stale card or a concurrent click changes nothing.
          const { count } = await tx.maRequest.updateMany({ where: { id: change.requestId, version: change.expectedVersion }, data });
          if (count === 0) return undefined;
          if (set.form) {
            await tx.requestCaseLink.deleteMany({ where: { requestId: change.requestId } });
            await tx.requestCaseLink.createMany({ data: set.form.relatedCases.map((caseId) => ({ requestId: change.requestId, caseId })) });
          }
          await tx.auditEvent.create({
            data: { requestId: change.requestId, ...change.audit, toStatus: change.status, at: change.at },
          });
          const row = await tx.maRequest.findUniqueOrThrow({ where: { id: change.requestId }, include: REQUEST_INCLUDE });
          const updated = toRequest(row);
          await writeOwed(tx, owe(updated), change.at);
          return updated;
        }),
      ),

    findById: (id) => findFirst({ id }),
    findByNumber: (number) => findFirst({ number }),
    listByRequester: (personId) => findMany({ requesterId: personId }, { createdAt: "desc" }),
    listByStatus: (statuses) => findMany({ status: { in: [...statuses] } }),
    listLinkedToCase: (caseId) =>
      guard(async () => {
        // Through the link table's caseId index first: a relation filter would test every request.
        const links = await prisma.requestCaseLink.findMany({ where: { caseId }, select: { requestId: true } });
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

    history: (requestId) =>
      guard(async () => {
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
            fromStatus: (row.fromStatus as RequestStatus | null) ?? undefined,
            toStatus: row.toStatus as RequestStatus,
            note: row.note,
            at: row.at,
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
