import type { Platform } from "../../core/model.js";
import type { RequesterCardStore, TriageCardStore } from "../../core/ports.js";
import type { Db } from "../client.js";
import { guard } from "./errors.js";

export function createTriageCardStore(prisma: Db): TriageCardStore {
  const key = (requestId: string, platform: Platform) => ({ requestId_platform: { requestId, platform } });
  return {
    recordPosted: (requestId, ref) =>
      guard(async () => {
        const data = { conversationId: ref.conversationId, messageId: ref.messageId, drawnVersion: ref.drawnVersion };
        await prisma.triageCard.upsert({
          where: key(requestId, ref.platform),
          create: { requestId, platform: ref.platform, ...data },
          update: data,
        });
      }),
    recordRedrawn: (requestId, ref) =>
      guard(async () => {
        // Compare-and-set: a late, older drawing never records over a newer one.
        await prisma.triageCard.updateMany({
          where: { requestId, platform: ref.platform, messageId: ref.messageId, drawnVersion: { lt: ref.drawnVersion } },
          data: { drawnVersion: ref.drawnVersion },
        });
        const stored = await prisma.triageCard.findUnique({ where: key(requestId, ref.platform) });
        return stored?.drawnVersion ?? ref.drawnVersion;
      }),
    find: (requestId, platform) =>
      guard(async () => {
        const row = await prisma.triageCard.findUnique({ where: key(requestId, platform) });
        if (!row || row.messageId === "") return undefined;
        return { platform, conversationId: row.conversationId, messageId: row.messageId, drawnVersion: row.drawnVersion };
      }),
    requestsWithCards: (platform, conversationId, requestIds) =>
      guard(async () => {
        if (requestIds.length === 0) return new Set<string>();
        const rows = await prisma.triageCard.findMany({
          where: { platform, conversationId, requestId: { in: requestIds }, NOT: { messageId: "" } },
          select: { requestId: true },
        });
        return new Set(rows.map((row) => row.requestId));
      }),
  };
}

/** The requester's "received" cards: the same bookkeeping as triage cards, in their own table. */
export function createRequesterCardStore(prisma: Db): RequesterCardStore {
  const key = (requestId: string, platform: Platform) => ({ requestId_platform: { requestId, platform } });
  return {
    recordPosted: (requestId, ref) =>
      guard(async () => {
        const data = { conversationId: ref.conversationId, messageId: ref.messageId, drawnVersion: ref.drawnVersion };
        await prisma.requesterCard.upsert({
          where: key(requestId, ref.platform),
          create: { requestId, platform: ref.platform, ...data },
          update: data,
        });
      }),
    recordRedrawn: (requestId, ref) =>
      guard(async () => {
        await prisma.requesterCard.updateMany({
          where: { requestId, platform: ref.platform, messageId: ref.messageId, drawnVersion: { lt: ref.drawnVersion } },
          data: { drawnVersion: ref.drawnVersion },
        });
        const stored = await prisma.requesterCard.findUnique({ where: key(requestId, ref.platform) });
        return stored?.drawnVersion ?? ref.drawnVersion;
      }),
    find: (requestId, platform) =>
      guard(async () => {
        const row = await prisma.requesterCard.findUnique({ where: key(requestId, platform) });
        if (!row || row.messageId === "") return undefined;
        return { platform, conversationId: row.conversationId, messageId: row.messageId, drawnVersion: row.drawnVersion };
      }),
  };
}
