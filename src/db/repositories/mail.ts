import type { MailStore } from "../../mail/store.js";
import type { Database } from "../client.js";
import { newRowId } from "../ids.js";
import { guard, isUniqueViolation } from "./errors.js";
import { mailStatements } from "./mail-statements.js";

/**
 * The e-mail bridge's memory: what the pass asks of every message in statements compiled
 * once (mail-statements.ts), the rest with Prisma's client.
 */
export function createMailStore(database: Database): MailStore {
  const { prisma } = database;
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
    threadOf: (requestId) =>
      guard(() =>
        prisma.mailMessage.findMany({
          where: { requestId, outcome: { notIn: ["held", "ignored", "bounce"] } },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          select: { messageId: true, direction: true, fromAddress: true },
        }),
      ),
    countFrom: (fromAddress, outcome, since) =>
      guard(async () => Number((await statements.countFrom({ fromAddress, outcome, since })).rows[0]?.count ?? 0)),
    holdOnRequest: (requestId, at) =>
      guard(async () => {
        await prisma.requestIntake.upsert({
          where: { requestId },
          create: { requestId, heldMail: 1, updatedAt: at },
          update: { heldMail: { increment: 1 }, updatedAt: at },
        });
      }),
    markBounced: (outboxId, reason) =>
      guard(async () => {
        const row = await prisma.outbox.findUnique({ where: { id: outboxId }, select: { subjectKey: true } });
        if (!row) return undefined;
        await prisma.outbox.update({
          where: { id: outboxId },
          data: { status: "FAILED", lastError: `bounced: ${reason}`.slice(0, 500), claimedBy: null, claimedUntil: null },
        });
        return row;
      }),
    acquireLease: (name, holder, now, until) =>
      guard(async () => {
        // Taken when free, expired, or already ours: one conditional update decides.
        const { count } = await prisma.lease.updateMany({
          where: { name, OR: [{ until: { lt: now } }, { holder }] },
          data: { holder, until },
        });
        if (count > 0) return true;
        try {
          await prisma.lease.create({ data: { name, holder, until } });
          return true;
        } catch (error) {
          if (isUniqueViolation(error)) return false;
          throw error;
        }
      }),
    releaseLease: (name, holder) =>
      guard(async () => {
        await prisma.lease.deleteMany({ where: { name, holder } });
      }),
  };
}
