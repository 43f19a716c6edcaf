import type { SurveyRecord, SurveyStore } from "../../core/feedback/ports.js";
import type { Database } from "../client.js";
import type { Prisma } from "../generated/sqlite/client.js";
import { newRowId } from "../ids.js";
import { guard, isUniqueViolation } from "./errors.js";
import { writeOwed } from "./outbox.js";
import type { OutboxHandoff } from "./outbox-handoff.js";

type Row = Prisma.SurveyGetPayload<object>;

function toSurvey(row: Row): SurveyRecord {
  return {
    requestId: row.requestId,
    sentAt: row.sentAt,
    expiresOn: row.expiresOn,
    rating: row.rating ?? undefined,
    comment: row.comment,
    answeredById: row.answeredById ?? undefined,
    answeredAt: row.answeredAt ?? undefined,
  };
}

export function createSurveyStore(database: Database, handoff: OutboxHandoff): SurveyStore {
  const { prisma } = database;
  const find = async (requestId: string) => {
    const row = await prisma.survey.findUnique({ where: { requestId } });
    return row ? toSurvey(row) : undefined;
  };
  return {
    open: (requestId, sentAt, expiresOn) =>
      guard(async () => {
        const existing = await find(requestId);
        if (existing) return existing;
        try {
          return toSurvey(await prisma.survey.create({ data: { id: newRowId(), requestId, sentAt, expiresOn } }));
        } catch (error) {
          // Another sender opened it first (the requester's second platform): one survey per request.
          if (!isUniqueViolation(error)) throw error;
          const raced = await find(requestId);
          if (!raced) throw error;
          return raced;
        }
      }),
    find: (requestId) => guard(() => find(requestId)),
    answer: (requestId, answer, owe) =>
      guard(async () => {
        let owed = 0;
        const answered = await database.interactive(async (tx) => {
          // Conditional: a second answer (a double click, a mail and a click) changes nothing.
          const { count } = await tx.survey.updateMany({
            where: { requestId, rating: null },
            data: { rating: answer.rating, comment: answer.comment, answeredById: answer.byId, answeredAt: answer.at },
          });
          if (count === 0) return false;
          owed = await writeOwed(tx, owe, answer.at);
          return true;
        });
        // After the commit: a drain that claimed before it would not have seen them.
        if (owed > 0) handoff.owed();
        return answered;
      }),
    sentBetween: (from, to) =>
      guard(async () =>
        (await prisma.survey.findMany({ where: { sentAt: { gte: from, lte: to } }, orderBy: { sentAt: "asc" } })).map(toSurvey),
      ),
    forRequests: (requestIds) =>
      guard(async () => {
        // In chunks: an export names every request, past what one statement may bind.
        const found: SurveyRecord[] = [];
        for (let start = 0; start < requestIds.length; start += 1000) {
          const ids = requestIds.slice(start, start + 1000);
          found.push(...(await prisma.survey.findMany({ where: { requestId: { in: ids } } })).map(toSurvey));
        }
        return found;
      }),
  };
}
