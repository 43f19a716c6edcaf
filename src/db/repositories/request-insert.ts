import { isAppError } from "../../core/errors.js";
import { formatRequestNumber } from "../../core/ids/request-number.js";
import type { MaRequest } from "../../core/model.js";
import type { NewRequest, OweMessages, RequestRepository } from "../../core/ports.js";
import { chainStatements } from "../audit-chain.js";
import type { Database } from "../client.js";
import { identityColumns, insertPersonStatement, personColumns } from "../dialect.js";
import { newRowId } from "../ids.js";
import { prepareInsertsTogether, tableRows } from "../prepared.js";
import { guard, isUniqueViolation } from "./errors.js";
import type { OutboxHandoff, OwedWrite } from "./outbox-handoff.js";
import { newPersonRow, personOfIdentity } from "./people-rows.js";
import { formColumns, intakeColumns, REQUEST_INCLUDE, toRequest } from "./request-rows.js";
import { submissionStatements } from "./request-statements.js";

/** How often a submit is retried when a concurrent one took the same first counter row. */
const SUBMIT_ATTEMPTS = 5;

/**
 * A request just stored, as `findById` reads it (the schema's defaults, no followers yet, the
 * identity keys sorted): what its handed messages are drawn from (test/db/request-reads.test.ts).
 */
const asRead = (request: MaRequest): MaRequest => ({
  ...request,
  requester: { ...request.requester, identityKeys: [...request.requester.identityKeys].sort() },
  calendarSequence: 0,
  stageCreditDays: 0,
  followers: [],
});

/** The request repository's `create`: a new request stored with everything it owes, once per key. */
export function requestInsert(database: Database, handoff: OutboxHandoff): RequestRepository["create"] {
  const { prisma } = database;
  const statements = submissionStatements(database.kysely);
  const chain = chainStatements(database.kysely, database.target.provider);
  const together = database.target.provider === "postgresql" ? prepareInsertsTogether(database.kysely) : undefined;
  // No transaction of its own: the submission's holds it.
  const insertRequester = insertPersonStatement(database.kysely, database.target.provider);
  const personOf = personOfIdentity(database);

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
      // A form's request is handed over as written; one from mail (intake, its own rows alongside) is read back.
      if (owed) handoff.committed(owed, input.intake || input.alongside ? undefined : asRead(stored));
      return { request: stored, created: true };
    }
    // The key was claimed before (a platform retry, a double click): the request it names.
    const seen = await storedUnder(idempotencyKey!);
    if (!seen) throw new Error("an idempotency key vanished while it was being read");
    return seen;
  }

  return (input, owe = () => []) =>
    guard(async () => {
      let attempt = input;
      for (let attempts = 1; ; attempts++) {
        try {
          return await insert(attempt, owe);
        } catch (error) {
          // PostgreSQL meets a key seen before only at the submission's one insert, after the
          // hourly limit: a retry of the request that used the limit up is answered with it.
          const repeated = together && isAppError(error, "LIMITED") && keyOf(attempt);
          const first = repeated ? await storedUnder(repeated) : undefined;
          if (first) return first;
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
    });
}
