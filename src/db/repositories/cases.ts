import { INACTIVE_CASE_STATUSES } from "../../core/domain.js";
import type { CaseRecord, Milestone } from "../../core/model.js";
import type { CaseDirectory } from "../../core/ports.js";
import type { Database } from "../client.js";
import type { Prisma } from "../generated/sqlite/client.js";
import { inPieces, prepareForLists } from "../kysely.js";
import { stored, ZCaseStatus, ZCaseType, ZMilestoneType } from "./columns.js";
import { guard } from "./errors.js";

type CaseRow = Prisma.CaseGetPayload<object>;
type MilestoneRow = Prisma.MilestoneGetPayload<object>;

export function toCaseRecord(row: CaseRow): CaseRecord {
  return {
    id: row.id,
    title: row.title,
    partner: row.partner,
    programOffice: row.programOffice,
    status: stored(ZCaseStatus, "Case.status", row.status),
    type: stored(ZCaseType, "Case.type", row.type),
    category: row.category,
    masked: row.masked,
  };
}

export function toMilestone(row: MilestoneRow): Milestone {
  return {
    id: row.id,
    caseId: row.caseId,
    type: stored(ZMilestoneType, "Milestone.type", row.type),
    dueDate: row.dueDate ?? undefined,
    completedDate: row.completedDate ?? undefined,
    completedAt: row.completedAt ?? undefined,
    completedById: row.completedById ?? undefined,
    note: row.note,
  };
}

export function createCaseDirectory(database: Database): CaseDirectory {
  const { prisma } = database;
  // Every triage card asks which of its related cases are on file: one statement compiled once per shape.
  const onFile = prepareForLists(database.kysely, (ids) => database.kysely.selectFrom("Case").select("id").where("id", "in", ids));
  return {
    find: (caseId) =>
      guard(async () => {
        const row = await prisma.case.findUnique({ where: { id: caseId }, include: { milestones: true } });
        return row ? { ...toCaseRecord(row), milestones: row.milestones.map(toMilestone) } : undefined;
      }),

    onFile: (caseIds) =>
      guard(async () => {
        const found = new Set<string>();
        for (const piece of inPieces([...new Set(caseIds)])) for (const row of (await onFile(piece)).rows) found.add(row.id);
        return found;
      }),

    milestonesDueBetween: (from, to, prefixes) =>
      guard(async () => {
        const caseWhere: Prisma.CaseWhereInput = { status: { notIn: [...INACTIVE_CASE_STATUSES] } };
        if (prefixes) caseWhere.OR = prefixes.map((prefix) => ({ id: { startsWith: prefix } }));
        const rows = await prisma.milestone.findMany({
          where: { dueDate: { gte: from, lte: to }, completedDate: null, case: caseWhere },
          include: { case: true },
          orderBy: [{ dueDate: "asc" }, { caseId: "asc" }],
        });
        return rows.map((row) => ({ milestone: toMilestone(row), caseRecord: toCaseRecord(row.case) }));
      }),

    findMilestone: (id) =>
      guard(async () => {
        const row = await prisma.milestone.findUnique({ where: { id }, include: { case: true } });
        return row ? { milestone: toMilestone(row), caseRecord: toCaseRecord(row.case) } : undefined;
      }),

    findMilestones: (ids) =>
      guard(async () =>
        (await prisma.milestone.findMany({ where: { id: { in: ids } }, include: { case: true } })).map((row) => ({
          milestone: toMilestone(row),
          caseRecord: toCaseRecord(row.case),
        })),
      ),

    updateMilestone: (id, set) =>
      guard(async () => {
        await prisma.milestone.update({ where: { id }, data: set });
      }),
  };
}
