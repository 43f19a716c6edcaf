import type { Kysely } from "kysely";
import type { DB } from "../kysely.js";
import { prepare } from "../prepared.js";

/**
 * The e-mail bridge's statements, compiled once (src/db/prepared.ts): the pass runs some for
 * every message, the channel one for every mail it sends; through Prisma's client they were
 * most of a pass's CPU, several times mailparser's own parse of the same mail (bench/mail.ts).
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
    /** A request's messages that belong in a new mail's References, oldest first. */
    thread: prepare<{ requestId: string }, { messageId: string; direction: string; fromAddress: string }>(db, (slot) =>
      db
        .selectFrom("MailMessage")
        .select(["messageId", "direction", "fromAddress"])
        .where("requestId", "=", slot("requestId"))
        .where("outcome", "not in", ["held", "ignored", "bounce"])
        .orderBy("createdAt")
        .orderBy("id"),
    ),
    /** One more held mail on a request (its intake row made when it has none). */
    holdOnRequest: prepare<{ requestId: string; at: Date }, never>(db, (slot) =>
      db
        .insertInto("RequestIntake")
        .values({ requestId: slot("requestId"), heldMail: 1, updatedAt: slot("at") })
        .onConflict((conflict) =>
          conflict.column("requestId").doUpdateSet((update) => ({
            heldMail: update(update.ref("RequestIntake.heldMail"), "+", 1),
            updatedAt: slot("at"),
          })),
        ),
    ),
    /** A sent mail bounced: its owed row fails with the reason, unclaimed; its subject back, no row when there is none. */
    markBounced: prepare<{ id: string; lastError: string }, { subjectKey: string }>(db, (slot) =>
      db
        .updateTable("Outbox")
        .set({ status: "FAILED", lastError: slot("lastError"), claimedBy: null, claimedUntil: null })
        .where("id", "=", slot("id"))
        .returning("subjectKey"),
    ),
    /** Takes a lease that is expired or already the holder's: a count of one when taken. */
    renewLease: prepare<{ name: string; holder: string; now: Date; until: Date }, never>(db, (slot) =>
      db
        .updateTable("Lease")
        .set({ holder: slot("holder"), until: slot("until") })
        .where("name", "=", slot("name"))
        .where((eb) => eb.or([eb("until", "<", slot("now")), eb("holder", "=", slot("holder"))])),
    ),
    /** Takes a lease nobody held yet: a row when taken, none when another holder made it first. */
    createLease: prepare<{ name: string; holder: string; until: Date }, { name: string }>(db, (slot) =>
      db
        .insertInto("Lease")
        .values({ name: slot("name"), holder: slot("holder"), until: slot("until") })
        .onConflict((conflict) => conflict.column("name").doNothing())
        .returning("name"),
    ),
    releaseLease: prepare<{ name: string; holder: string }, never>(db, (slot) =>
      db.deleteFrom("Lease").where("name", "=", slot("name")).where("holder", "=", slot("holder")),
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
