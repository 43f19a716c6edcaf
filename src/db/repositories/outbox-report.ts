import type { Outbox } from "../../core/ports.js";
import type { Db } from "../client.js";
import { stored, ZPlatform } from "./columns.js";
import { guard } from "./errors.js";
import { toRow } from "./outbox-rows.js";

/** What operators read of the outbox: counts, failures, and how long the oldest owed message has waited. */
export function createOutboxReport(prisma: Db): Pick<Outbox, "statusCounts" | "listFailed" | "oldestDue" | "failuresByConversation"> {
  return {
    statusCounts: () =>
      guard(async () => {
        const groups = await prisma.outbox.groupBy({ by: ["status"], _count: { _all: true } });
        return Object.fromEntries(groups.map((group) => [group.status, group._count._all]));
      }),

    listFailed: (limit) =>
      guard(async () =>
        (await prisma.outbox.findMany({ where: { status: "FAILED" }, orderBy: { createdAt: "desc" }, take: limit })).map(toRow),
      ),

    oldestDue: (now) =>
      guard(async () => {
        const row = await prisma.outbox.findFirst({
          where: { status: "PENDING", nextAttemptAt: { lte: now } },
          orderBy: { nextAttemptAt: "asc" },
          select: { nextAttemptAt: true },
        });
        return row?.nextAttemptAt;
      }),

    failuresByConversation: (since) =>
      guard(async () => {
        const where = { status: "FAILED", createdAt: { gte: since } };
        const groups = await prisma.outbox.groupBy({ by: ["platform", "conversationId"], where, _count: { _all: true } });
        return Promise.all(
          groups.map(async (group) => {
            const last = await prisma.outbox.findFirst({
              where: { ...where, platform: group.platform, conversationId: group.conversationId },
              orderBy: { createdAt: "desc" },
              select: { lastError: true },
            });
            return {
              platform: stored(ZPlatform, "Outbox.platform", group.platform),
              conversationId: group.conversationId,
              count: group._count._all,
              lastError: last?.lastError ?? "",
            };
          }),
        );
      }),
  };
}
