import type {
  DeclineReason,
  DeliveryMode,
  DodComponent,
  EffortType,
  LifecyclePhase,
  RequestStatus,
  SupportType,
} from "../../core/domain.js";
import { formatRequestNumber } from "../../core/ids/request-number.js";
import type { AuditEvent, IsoDate, MaRequest, PersonRef, RequestForm } from "../../core/model.js";
import type { NewRequest, OweMessages, RequestChange, RequestRepository } from "../../core/ports.js";
import type { Db } from "../client.js";
import type { Prisma } from "../generated/sqlite/client.js";
import { guard, isUniqueViolation } from "./errors.js";
import { writeOwed } from "./outbox.js";
import { requestActivityBetween } from "./request-activity.js";

const PERSON = { include: { identities: { select: { key: true } } } } as const;
export const REQUEST_INCLUDE = { requester: PERSON, lead: PERSON, cases: { select: { caseId: true } } } as const;
type RequestRow = Prisma.MaRequestGetPayload<{ include: typeof REQUEST_INCLUDE }>;
type PersonRow = Prisma.PersonGetPayload<typeof PERSON>;

export function toPersonRef(row: PersonRow): PersonRef {
  return { id: row.id, displayName: row.displayName, identityKeys: row.identities.map((identity) => identity.key).sort() };
}

export function toRequest(row: RequestRow): MaRequest {
  const form: RequestForm = {
    organization: row.organization,
    component: row.component as DodComponent,
    program: row.program,
    effortTypes: row.effortTypes.split(",").filter(Boolean) as EffortType[],
    supportType: row.supportType as SupportType,
    lifecyclePhase: row.lifecyclePhase as LifecyclePhase,
    relatedCases: row.cases.map((link) => link.caseId).sort(),
    problemStatement: row.problemStatement,
    desiredOutcome: row.desiredOutcome,
    audienceSize: row.audienceSize,
    preferredStart: row.preferredStart,
    preferredEnd: row.preferredEnd,
    deliveryMode: row.deliveryMode as DeliveryMode,
    location: row.location,
    travelFunded: row.travelFunded,
    pocName: row.pocName,
    pocEmail: row.pocEmail,
  };
  return {
    id: row.id,
    number: row.number,
    status: row.status as RequestStatus,
    version: row.version,
    requester: toPersonRef(row.requester),
    form,
    eligibilityCheck: row.eligibilityCheck,
    lead: row.lead ? toPersonRef(row.lead) : undefined,
    scheduledStart: row.scheduledStart ?? undefined,
    scheduledEnd: row.scheduledEnd ?? undefined,
    declineReason: (row.declineReason as DeclineReason | null) ?? undefined,
    question: row.question ?? undefined,
    statusSince: row.statusSince,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function formColumns(form: RequestForm) {
  const { relatedCases: _relatedCases, effortTypes, ...rest } = form;
  return { ...rest, effortTypes: effortTypes.join(",") };
}

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
      const row = await tx.maRequest.create({
        data: {
          number,
          year,
          seq: counter.last,
          status: "SUBMITTED",
          requesterId: input.requester.id,
          ...formColumns(input.form),
          eligibilityCheck: input.eligibilityCheck,
          sourcePlatform: input.sourcePlatform,
          createdAt: input.at,
          statusSince: input.at,
          cases: { create: input.form.relatedCases.map((caseId) => ({ caseId })) },
          events: {
            create: {
              actorId: input.requester.id,
              action: "submit",
              toStatus: "SUBMITTED",
              note: input.eligibilityCheck ? "Component OTHER: eligibility check needed" : "",
              at: input.at,
            },
          },
        },
        // Everything else is known: reading the row back with its relations would double the queries.
        select: { id: true, createdAt: true, updatedAt: true },
      });
      if (idempotencyKey) {
        await tx.idempotencyKey.create({ data: { key: idempotencyKey, resultId: row.id, createdAt: input.at } });
      }
      const request: MaRequest = {
        id: row.id,
        number,
        status: "SUBMITTED",
        version: 1,
        requester: input.requester,
        form: { ...input.form, relatedCases: [...input.form.relatedCases].sort() },
        eligibilityCheck: input.eligibilityCheck,
        statusSince: row.createdAt,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      };
      await writeOwed(tx, owe(request), input.at);
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
