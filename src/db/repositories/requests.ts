import { formatRequestNumber } from "../../core/ids/request-number.js";
import type { IsoDate, MaRequest } from "../../core/model.js";
import type { NewRequest, OweMessages, RequestChange, RequestRepository } from "../../core/ports.js";
import { appendRequestEvent, chainStatements } from "../audit-chain.js";
import type { Database } from "../client.js";
import { identityColumns, insertPersonStatement, personColumns } from "../dialect.js";
import type { Prisma } from "../generated/sqlite/client.js";
import { newRowId } from "../ids.js";
import { prepareInsertsTogether, tableRows } from "../prepared.js";
import { guard, isUniqueViolation } from "./errors.js";
import { writeOwed } from "./outbox.js";
import type { OutboxHandoff, OwedWrite } from "./outbox-handoff.js";
import { newPersonRow, personOfIdentity } from "./people.js";
import { requestActivityBetween } from "./request-activity.js";
import { applyAlongside, STALE_ALONGSIDE, staleAlongside } from "./request-alongside.js";
import { requestHistories } from "./request-history.js";
import { requestReads } from "./request-reads.js";
import { applyChange, formColumns, intakeColumns, REQUEST_INCLUDE, toRequest } from "./request-rows.js";
import { linkedRequestsStatement, submissionStatements } from "./request-statements.js";

/** How often a submit is retried when a concurrent one took the same first counter row. */
const SUBMIT_ATTEMPTS = 5;

export function createRequestRepository(database: Database, handoff: OutboxHandoff): RequestRepository {
  const { prisma } = database;
  const statements = submissionStatements(database.kysely);
  const chain = chainStatements(database.kysely, database.target.provider);
  const together = database.target.provider === "postgresql" ? prepareInsertsTogether(database.kysely) : undefined;
  const linkedRequests = linkedRequestsStatement(database.kysely);
  const readRequests = requestReads(database.kysely);
  const histories = requestHistories(database.kysely);
  // No transaction of its own: the submission's holds it.
  const insertRequester = insertPersonStatement(database.kysely, database.target.provider);
  const personOf = personOfIdentity(database);
  const findFirst = (where: Prisma.MaRequestWhereInput) =>
    guard(async () => {
      const row = await prisma.maRequest.findFirst({ where, include: REQUEST_INCLUDE });
      return row ? toRequest(row) : undefined;
    });
  const findMany = (where: Prisma.MaRequestWhereInput, orderBy: Prisma.MaRequestOrderByWithRelationInput = { createdAt: "asc" }) =>
    guard(async () => (await prisma.maRequest.findMany({ where, include: REQUEST_INCLUDE, orderBy })).map(toRequest));

  /** The submitter's own key: someone else's key (guessed or replayed) finds nothing. */
  const keyOf = (input: NewRequest) => (input.idempotencyKey ? `${input.requester.id}:${input.idempotencyKey}` : undefined);

  /** The request first stored under `key`, if one was. */
  async function storedUnder(key: string): Promise<{ request: MaRequest; created: boolean } | undefined> {
    const seen = await prisma.idempotencyKey.findUnique({ where: { key } });
    if (!seen) return undefined;
    return {
      request: toRequest(await prisma.maRequest.findUniqueOrThrow({ where: { id: seen.resultId }, include: REQUEST_INCLUDE })),
      created: false,
    };
  }

  /**
   * A new request and everything it owes in one transaction of Kysely statements on the
   * client's connection (see connection.ts): a new requester, key, number, request, case
   * links, owed messages, audit event. Nothing is read back: the request is built from what
   * was written. On PostgreSQL, where each statement is a round trip, the rows that need
   * nothing read first are one statement (`together`), a key seen before stopping it with a
   * unique violation; SQLite's statements are calls, and its key is claimed first.
   */
  async function insert(input: NewRequest, owe: OweMessages): Promise<{ request: MaRequest; created: boolean }> {
    const idempotencyKey = keyOf(input);
    let owed: OwedWrite | undefined;
    const stored = await database.transaction(async () => {
      const id = newRowId();
      const at = input.at;
      const requester = input.newRequester && newPersonRow(input.requester.id, input.newRequester, at);
      const keyRow = idempotencyKey && { key: idempotencyKey, resultId: id, createdAt: at };
      if (!together) {
        // First, so a racing first contact's identity stops this before it locks anything.
        if (requester) await insertRequester(requester);
        if (keyRow && (await statements.claimKey(keyRow)).rows.length === 0) return undefined;
      }
      const year = at.getUTCFullYear();
      // The counter row update takes a row lock, so concurrent submits get distinct,
      // consecutive numbers; a rolled-back submit gives its number back.
      const seq = Number((await statements.nextSeq({ year })).rows[0]?.last);
      const number = formatRequestNumber(year, seq);
      if (input.quota) {
        // Counted under the counter's row lock: a concurrent submit by anyone waits for this one.
        const filed = (await statements.filedSince({ requesterId: input.requester.id, since: input.quota.since })).rows[0];
        // Thrown inside the transaction: it rolls back, giving the number and the key back.
        if (Number(filed?.count ?? 0) >= input.quota.max) throw input.quota.refusal;
      }
      const row = {
        id,
        number,
        year,
        seq,
        status: "SUBMITTED",
        version: 1,
        requesterId: input.requester.id,
        ...formColumns(input.form),
        eligibilityCheck: input.eligibilityCheck,
        sourcePlatform: input.sourcePlatform,
        statusSince: at,
        createdAt: at,
        updatedAt: at,
      };
      const links = input.form.relatedCases.map((caseId) => ({ requestId: id, caseId }));
      const intake = input.intake ? [{ requestId: id, ...intakeColumns(input.intake), heldMail: 0, updatedAt: at }] : [];
      const request: MaRequest = {
        id,
        number,
        status: "SUBMITTED",
        version: 1,
        requester: input.requester,
        form: { ...input.form, relatedCases: [...input.form.relatedCases].sort() },
        eligibilityCheck: input.eligibilityCheck,
        statusSince: at,
        createdAt: at,
        updatedAt: at,
        ...(input.intake ? { intake: { ...input.intake, heldMail: 0 } } : {}),
      };
      // Every key a new request owes names it: none can have been owed before, so no read first.
      // The due ones are written claimed for this process's sender, which sends them once committed.
      owed = handoff.claimed(owe(request), at);
      if (together) {
        const field = requester && (<K extends keyof typeof requester>(name: K) => requester[name]);
        await together([
          ...(field ? [tableRows("Person", [personColumns(field)]), tableRows("Identity", [identityColumns(field)])] : []),
          ...(keyRow ? [tableRows("IdempotencyKey", [keyRow])] : []),
          tableRows("MaRequest", [row]),
          tableRows("RequestCaseLink", links),
          tableRows("RequestIntake", intake),
          tableRows("Outbox", owed.rows),
        ]);
      } else {
        await statements.request([row]);
        await statements.caseLinks(links);
        await statements.intake(intake);
        await statements.outbox(owed.rows);
      }
      await input.alongside?.(request);
      // Last: the audit chain's head stays locked until commit (src/db/audit-chain.ts).
      const note = input.eligibilityCheck ? "Component OTHER: eligibility check needed" : "";
      await chain({
        id: newRowId(),
        requestId: id,
        actorId: input.requester.id,
        action: "submit",
        fromStatus: null,
        toStatus: "SUBMITTED",
        note,
        at,
      });
      return request;
    });
    if (stored) {
      if (owed) handoff.committed(owed);
      return { request: stored, created: true };
    }
    // The key was claimed before (a platform retry, a double click): the request it names.
    const seen = await storedUnder(idempotencyKey!);
    if (!seen) throw new Error("an idempotency key vanished while it was being read");
    return seen;
  }

  return {
    create: (input, owe = () => []) =>
      guard(async () => {
        let attempt = input;
        for (let attempts = 1; ; attempts++) {
          try {
            return await insert(attempt, owe);
          } catch (error) {
            // A unique violation means a concurrent submit won a race: the same
            // idempotency key (the retry then finds it), or the year's first counter row,
            // or a new requester's identity (stored meanwhile: the request is theirs).
            if (!isUniqueViolation(error) || attempts >= SUBMIT_ATTEMPTS) throw error;
            const stored = attempt.newRequester && (await personOf(attempt.newRequester.key));
            if (stored) attempt = { ...attempt, requester: stored, newRequester: undefined };
            // PostgreSQL: a key seen before stops the submission's one insert (see `insert`).
            const key = keyOf(attempt);
            const seen = key && !stored ? await storedUnder(key) : undefined;
            if (seen) return seen;
          }
        }
      }),

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
