import type { Kysely } from "kysely";
import { INACTIVE_CASE_STATUSES } from "../../core/domain.js";
import type { CaseRecord, Milestone } from "../../core/model.js";
import type { CaseDirectory } from "../../core/ports.js";
import type { Database } from "../client.js";
import type { Prisma } from "../generated/sqlite/client.js";
import type { DB } from "../kysely.js";
import { inPieces, prepare, prepareForLists } from "../prepared.js";
import { flag, instant, stored, ZCaseStatus, ZCaseType, ZMilestoneType } from "./columns.js";
import { guard } from "./errors.js";

type CaseRow = Prisma.CaseGetPayload<object>;
type MilestoneRow = Prisma.MilestoneGetPayload<object>;

export function toCaseRecord(row: Omit<CaseRow, "createdAt" | "updatedAt">): CaseRecord {
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

export function toMilestone(row: Omit<MilestoneRow, "updatedAt">): Milestone {
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

/** A case's columns and one of its milestones' (all null for a case without any), as the adapter returns them. */
type CaseMilestoneRow = Record<(typeof CASE_COLUMNS)[number] | (typeof MILESTONE_COLUMNS)[number][1], unknown>;

const CASE_COLUMNS = ["id", "title", "partner", "programOffice", "status", "type", "category", "masked"] as const;
const MILESTONE_COLUMNS = [
  ["id", "milestoneId"],
  ["type", "milestoneType"],
  ["dueDate", "dueDate"],
  ["completedDate", "completedDate"],
  ["completedAt", "completedAt"],
  ["completedById", "completedById"],
  ["note", "note"],
] as const;

/**
 * A case and its milestones in one statement, compiled once: `/ma case` is answered from
 * it. Through the client it took two queries planned by Prisma's compiler per lookup.
 */
function caseWithMilestones(db: Kysely<DB>) {
  return prepare<{ id: string }, CaseMilestoneRow>(db, (slot) =>
    db
      .selectFrom("Case")
      .leftJoin("Milestone", "Milestone.caseId", "Case.id")
      .select(CASE_COLUMNS.map((column) => `Case.${column}` as const))
      .select(MILESTONE_COLUMNS.map(([column, alias]) => `Milestone.${column} as ${alias}` as const))
      .where("Case.id", "=", slot("id"))
      .orderBy("Milestone.id"),
  );
}

/** The rows of `caseWithMilestones` as the client's rows would read: booleans, instants, nulls. */
function fromJoined(rows: CaseMilestoneRow[]): (CaseRecord & { milestones: Milestone[] }) | undefined {
  const first = rows[0];
  if (!first) return undefined;
  const text = (value: unknown) => (value === null ? null : String(value));
  const caseRecord = toCaseRecord({
    id: String(first.id),
    title: String(first.title),
    partner: String(first.partner),
    programOffice: String(first.programOffice),
    status: String(first.status),
    type: String(first.type),
    category: String(first.category),
    masked: flag(first.masked),
  });
  const milestones = rows
    .filter((row) => row.milestoneId !== null)
    .map((row) =>
      toMilestone({
        id: String(row.milestoneId),
        caseId: caseRecord.id,
        type: String(row.milestoneType),
        dueDate: text(row.dueDate),
        completedDate: text(row.completedDate),
        completedAt: row.completedAt === null ? null : instant(row.completedAt),
        completedById: text(row.completedById),
        note: String(row.note),
      }),
    );
  return { ...caseRecord, milestones };
}

export function createCaseDirectory(database: Database): CaseDirectory {
  const { prisma } = database;
  const findCase = caseWithMilestones(database.kysely);
  // Every triage card asks which of its related cases are on file: one statement compiled once per shape.
  const onFile = prepareForLists(database.kysely, (ids) => database.kysely.selectFrom("Case").select("id").where("id", "in", ids));
  return {
    find: (caseId) => guard(async () => fromJoined((await findCase({ id: caseId })).rows)),

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
