import type { MailStore } from "../../mail/store.js";
import type { Db } from "../client.js";
import { guard, isUniqueViolation } from "./errors.js";

/** The e-mail bridge's memory, with Prisma's client. */
export function createMailStore(prisma: Db): MailStore {
  return {
    isHandled: (messageId, keys) =>
      guard(async () => {
        if (await prisma.mailMessage.findUnique({ where: { messageId }, select: { id: true } })) return true;
        return keys.length > 0 && (await prisma.idempotencyKey.count({ where: { key: { in: keys } } })) > 0;
      }),
    record: (entry) =>
      guard(async () => {
        try {
          await prisma.mailMessage.create({
            data: {
              messageId: entry.messageId,
              direction: entry.direction,
              requestId: entry.requestId ?? null,
              outboxId: entry.outboxId ?? null,
              fromAddress: entry.fromAddress,
              subject: entry.subject.slice(0, 500),
              outcome: entry.outcome,
              reason: entry.reason.slice(0, 500),
              createdAt: entry.at,
            },
          });
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
        }
      }),
    requestOfMessages: (messageIds) =>
      guard(async () => {
        if (messageIds.length === 0) return undefined;
        const rows = await prisma.mailMessage.findMany({
          where: { messageId: { in: messageIds }, requestId: { not: null } },
          select: { messageId: true, requestId: true },
        });
        // The ids come newest first: the closest message we know names the request.
        for (const id of messageIds) {
          const row = rows.find((candidate) => candidate.messageId === id);
          if (row?.requestId) return row.requestId;
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
      guard(() => prisma.mailMessage.count({ where: { fromAddress, outcome, direction: "in", createdAt: { gte: since } } })),
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
