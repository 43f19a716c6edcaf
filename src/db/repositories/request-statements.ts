import type { Kysely } from "kysely";
import type { DB } from "../kysely.js";
import { prepare, prepareInsert } from "../prepared.js";

/**
 * A submission's statements, compiled once (src/db/prepared.ts): a submission is the busiest
 * transaction, and Kysely's building and compiling would be a fifth of its CPU.
 */
export function submissionStatements(db: Kysely<DB>) {
  return {
    /** Claims an idempotency key: a row back when the key is new, none when a submission already holds it. */
    claimKey: prepare<{ key: string; resultId: string; createdAt: Date }, { key: string }>(db, (slot) =>
      db
        .insertInto("IdempotencyKey")
        .values({ key: slot("key"), resultId: slot("resultId"), createdAt: slot("createdAt") })
        .onConflict((conflict) => conflict.column("key").doNothing())
        .returning("key"),
    ),
    /** The next number of the year's counter, created at 1: the row stays locked until commit. */
    nextSeq: prepare<{ year: number }, { last: number }>(db, (slot) =>
      db
        .insertInto("RequestCounter")
        .values({ year: slot("year"), last: 1 })
        .onConflict((conflict) =>
          conflict.column("year").doUpdateSet((update) => ({ last: update(update.ref("RequestCounter.last"), "+", 1) })),
        )
        .returning("last"),
    ),
    /** How many requests one person filed since a time (the per-person hourly limit). */
    filedSince: prepare<{ requesterId: string; since: Date }, { count: number | bigint | string }>(db, (slot) =>
      db
        .selectFrom("MaRequest")
        .select((eb) => eb.fn.countAll().as("count"))
        .where("requesterId", "=", slot("requesterId"))
        .where("createdAt", ">=", slot("since")),
    ),
    request: prepareInsert(db, "MaRequest"),
    caseLinks: prepareInsert(db, "RequestCaseLink"),
    intake: prepareInsert(db, "RequestIntake"),
    outbox: prepareInsert(db, "Outbox"),
  };
}

/**
 * The requests linked to a case, from the link table's caseId index, compiled once: every
 * `/ma case` asks, and most cases have none (then the client is not called at all).
 */
export function linkedRequestsStatement(db: Kysely<DB>) {
  return prepare<{ caseId: string }, { requestId: string }>(db, (slot) =>
    db.selectFrom("RequestCaseLink").select("requestId").where("caseId", "=", slot("caseId")),
  );
}
