import type { Kysely } from "kysely";
import { type DB, prepare } from "../kysely.js";

/**
 * The statements the mail pass runs for every message, compiled once (src/db/kysely.ts):
 * through Prisma's client they were most of a pass's CPU, several times mailparser's own
 * parse of the same mail (bench/mail.ts).
 */
export function mailStatements(db: Kysely<DB>) {
  return {
    /** A row when a message is recorded under this id or a change is claimed under this key: one statement for both. */
    handled: prepare<{ messageId: string; key: string }, { id: string }>(db, (slot) =>
      db
        .selectFrom("MailMessage")
        .select("id")
        .where("messageId", "=", slot("messageId"))
        .unionAll(db.selectFrom("IdempotencyKey").select("key as id").where("key", "=", slot("key")))
        .limit(1),
    ),
    /** The request a message belongs to, when it belongs to one. */
    requestOf: prepare<{ messageId: string }, { requestId: string | null }>(db, (slot) =>
      db
        .selectFrom("MailMessage")
        .select("requestId")
        .where("messageId", "=", slot("messageId"))
        .where("requestId", "is not", null)
        .limit(1),
    ),
    /** Records a message once: a second record of the same id changes nothing. */
    record: prepare<
      {
        id: string;
        messageId: string;
        direction: string;
        requestId: string | null;
        outboxId: string | null;
        fromAddress: string;
        subject: string;
        outcome: string;
        reason: string;
        createdAt: Date;
      },
      never
    >(db, (slot) =>
      db
        .insertInto("MailMessage")
        .values({
          id: slot("id"),
          messageId: slot("messageId"),
          direction: slot("direction"),
          requestId: slot("requestId"),
          outboxId: slot("outboxId"),
          fromAddress: slot("fromAddress"),
          subject: slot("subject"),
          outcome: slot("outcome"),
          reason: slot("reason"),
          createdAt: slot("createdAt"),
        })
        .onConflict((conflict) => conflict.column("messageId").doNothing()),
    ),
    /** Mails in from one sender with one outcome since a time (the per-sender hourly limit). */
    countFrom: prepare<{ fromAddress: string; outcome: string; since: Date }, { count: number | bigint | string }>(db, (slot) =>
      db
        .selectFrom("MailMessage")
        .select((eb) => eb.fn.countAll().as("count"))
        .where("fromAddress", "=", slot("fromAddress"))
        .where("outcome", "=", slot("outcome"))
        .where("direction", "=", "in")
        .where("createdAt", ">=", slot("since")),
    ),
  };
}
