import type { MilestoneImport, RowError } from "../../core/cases/import-rows.js";
import type { CaseRecord } from "../../core/model.js";
import type { Db } from "../client.js";

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export type Progress = (done: number, total: number) => void;

/** Rows read from the database per query when comparing a file with what is stored. */
const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK) out.push(items.slice(start, start + CHUNK));
  return out;
}

const CASE_FIELDS = ["title", "partner", "programOffice", "status", "type", "category", "masked"] as const;
const MILESTONE_FIELDS = ["dueDate", "completedDate", "note"] as const;

function differs<K extends string>(stored: Record<K, unknown>, incoming: Record<K, unknown>, fields: readonly K[]): boolean {
  return fields.some((field) => (stored[field] ?? null) !== (incoming[field] ?? null));
}

/**
 * Upserts validated cases in one transaction: all or nothing. A row equal to what is
 * stored is left alone, so importing the same file twice changes nothing.
 */
export async function importCases(prisma: Db, cases: CaseRecord[], dryRun: boolean, progress?: Progress): Promise<ImportCounts> {
  const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0 };
  await prisma.$transaction(
    async (tx) => {
      let done = 0;
      for (const batch of chunks(cases)) {
        const stored = new Map(
          (await tx.case.findMany({ where: { id: { in: batch.map((item) => item.id) } } })).map((row) => [row.id, row]),
        );
        const fresh = batch.filter((item) => !stored.has(item.id));
        const changed = batch.filter((item) => stored.has(item.id) && differs(stored.get(item.id)!, item, CASE_FIELDS));
        counts.created += fresh.length;
        counts.updated += changed.length;
        counts.unchanged += batch.length - fresh.length - changed.length;
        if (!dryRun) {
          if (fresh.length > 0) await tx.case.createMany({ data: fresh });
          for (const item of changed) await tx.case.update({ where: { id: item.id }, data: item });
        }
        done += batch.length;
        progress?.(done, cases.length);
      }
    },
    { timeout: 10 * 60_000, maxWait: 30_000 },
  );
  return counts;
}

/**
 * Upserts milestones, identified by (case, milestone type). A milestone of a case that
 * is not stored is a row error: nothing is written then.
 */
export async function importMilestones(
  prisma: Db,
  milestones: MilestoneImport[],
  lines: number[],
  dryRun: boolean,
  progress?: Progress,
): Promise<{ counts: ImportCounts; errors: RowError[] }> {
  const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0 };
  const errors: RowError[] = [];
  const knownCases = new Set<string>();
  for (const batch of chunks([...new Set(milestones.map((item) => item.caseId))])) {
    for (const row of await prisma.case.findMany({ where: { id: { in: batch } }, select: { id: true } })) knownCases.add(row.id);
  }
  milestones.forEach((item, index) => {
    if (!knownCases.has(item.caseId))
      errors.push({ line: lines[index] ?? 0, message: `case_id: ${item.caseId} is not imported; import the case first` });
  });
  if (errors.length > 0) return { counts, errors };

  await prisma.$transaction(
    async (tx) => {
      let done = 0;
      for (const batch of chunks(milestones)) {
        const stored = new Map(
          (
            await tx.milestone.findMany({
              where: { OR: batch.map((item) => ({ caseId: item.caseId, type: item.type })) },
            })
          ).map((row) => [`${row.caseId} ${row.type}`, row]),
        );
        for (const item of batch) {
          const data = { dueDate: item.dueDate, completedDate: item.completedDate ?? null, note: item.note };
          const existing = stored.get(`${item.caseId} ${item.type}`);
          if (!existing) {
            counts.created++;
            if (!dryRun) await tx.milestone.create({ data: { caseId: item.caseId, type: item.type, ...data } });
          } else if (differs(existing, data, MILESTONE_FIELDS)) {
            counts.updated++;
            if (!dryRun) await tx.milestone.update({ where: { id: existing.id }, data });
          } else {
            counts.unchanged++;
          }
        }
        done += batch.length;
        progress?.(done, milestones.length);
      }
    },
    { timeout: 10 * 60_000, maxWait: 30_000 },
  );
  return { counts, errors };
}
