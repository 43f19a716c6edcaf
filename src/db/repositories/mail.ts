import type { MailStore } from "../../mail/store.js";
import type { Database } from "../client.js";
import { newRowId } from "../ids.js";
import { guard } from "./errors.js";
import { mailStatements } from "./mail-statements.js";

/** The e-mail bridge's memory, in statements compiled once (mail-statements.ts). */
export function createMailStore(database: Database): MailStore {
  const statements = mailStatements(database.kysely);
  return {
    isHandled: (messageId, key) => guard(async () => (await statements.handled({ messageId, key })).rows.length > 0),
    record: (entry) =>
      guard(async () => {
        await statements.record({
          id: newRowId(),
          messageId: entry.messageId,
          direction: entry.direction,
          requestId: entry.requestId ?? null,
          outboxId: entry.outboxId ?? null,
          fromAddress: entry.fromAddress,
          subject: entry.subject.slice(0, 500),
          outcome: entry.outcome,
          reason: entry.reason.slice(0, 500),
          createdAt: entry.at,
        });
      }),
    requestOfMessages: (messageIds) =>
      guard(async () => {
        // The ids come newest first: the closest message we know names the request.
        for (const messageId of messageIds) {
          const requestId = (await statements.requestOf({ messageId })).rows[0]?.requestId;
          if (requestId) return requestId;
        }
        return undefined;
      }),
    threadOf: (requestId) => guard(async () => (await statements.thread({ requestId })).rows),
    countFrom: (fromAddress, outcome, since) =>
      guard(async () => Number((await statements.countFrom({ fromAddress, outcome, since })).rows[0]?.count ?? 0)),
    holdOnRequest: (requestId, at) =>
      guard(async () => {
        await statements.holdOnRequest({ requestId, at });
      }),
    markBounced: (outboxId, reason) =>
      guard(async () => (await statements.markBounced({ id: outboxId, lastError: `bounced: ${reason}`.slice(0, 500) })).rows[0]),
    acquireLease: (name, holder, now, until) =>
      guard(async () => {
        // Taken when free, expired, or already ours: one conditional update decides.
        if (Number((await statements.renewLease({ name, holder, now, until })).numAffectedRows ?? 0) > 0) return true;
        // Never held: made here, unless another replica made it first.
        return (await statements.createLease({ name, holder, until })).rows.length > 0;
      }),
    releaseLease: (name, holder) =>
      guard(async () => {
        await statements.releaseLease({ name, holder });
      }),
  };
}
