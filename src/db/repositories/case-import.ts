import type { MilestoneImport, RowError } from "../../core/cases/import-rows.js";
import type { CaseRecord } from "../../core/model.js";
import type { Database } from "../client.js";
import { insertMilestones, maxBindValues } from "../dialect.js";
import { guard } from "./errors.js";

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export type Progress = (done: number, total: number) => void;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

const CASE_FIELDS = ["title", "partner", "programOffice", "status", "type", "category", "masked"] as const;
const MILESTONE_FIELDS = ["dueDate", "completedDate", "note"] as const;
/** Columns a created case binds: sizes its createMany batches under the parameter limit. */
const CASE_COLUMNS = 10;
/** New milestones per set-based insert (and per progress line). */
const MILESTONES_PER_INSERT = 5_000;

function differs<K extends string>(stored: Record<K, unknown>, incoming: Record<K, unknown>, fields: readonly K[]): boolean {
  return fields.some((field) => (stored[field] ?? null) !== (incoming[field] ?? null));
}

/** A long import is one transaction: all or nothing, with room for 100,000 rows. */
const LONG = { timeout: 10 * 60_000, maxWait: 30_000 };

/**
 * Upserts validated cases in one transaction: all or nothing. A row equal to what is
 * stored is left alone, so importing the same file twice changes nothing. Reads and
 * inserts go in batches sized from the database's bind-parameter limit.
 */
export function importCases(database: Database, cases: CaseRecord[], dryRun: boolean, progress?: Progress): Promise<ImportCounts> {
  const limit = maxBindValues(database.target.provider);
  const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0 };
  return guard(() =>
    database.interactive(async (tx) => {
      const stored = new Map<string, Record<string, unknown>>();
      for (const batch of chunks(cases, limit)) {
        for (const row of await tx.case.findMany({ where: { id: { in: batch.map((item) => item.id) } } })) stored.set(row.id, row);
      }
      const fresh = cases.filter((item) => !stored.has(item.id));
      const changed = cases.filter((item) => stored.has(item.id) && differs(stored.get(item.id)!, item, CASE_FIELDS));
      counts.created = fresh.length;
      counts.updated = changed.length;
      counts.unchanged = cases.length - fresh.length - changed.length;
      if (!dryRun)
        await write(fresh, changed, Math.floor(limit / CASE_COLUMNS), cases.length, progress, {
          create: (batch) => tx.case.createMany({ data: batch }),
          update: (item) => tx.case.update({ where: { id: item.id }, data: item }),
        });
      return counts;
    }, LONG),
  );
}

/** Creates in batches and updates one by one (re-imports change few rows), reporting progress. */
async function write<T>(
  fresh: T[],
  changed: T[],
  batchSize: number,
  total: number,
  progress: Progress | undefined,
  ops: { create(batch: T[]): Promise<unknown>; update(item: T): Promise<unknown> },
): Promise<void> {
  let done = total - fresh.length - changed.length;
  for (const batch of chunks(fresh, Math.max(1, batchSize))) {
    await ops.create(batch);
    done += batch.length;
    progress?.(done, total);
  }
  for (const item of changed) {
    await ops.update(item);
    progress?.(++done, total);
  }
  progress?.(total, total);
}

/** Lines of milestones whose case is not stored: every one is reported, with the file's other errors. */
export function unknownCaseErrors(database: Database, milestones: MilestoneImport[]): Promise<RowError[]> {
  return guard(async () => {
    const known = new Set<string>();
    const caseIds = [...new Set(milestones.map((item) => item.caseId))];
    for (const batch of chunks(caseIds, maxBindValues(database.target.provider))) {
      for (const row of await database.prisma.case.findMany({ where: { id: { in: batch } }, select: { id: true } })) known.add(row.id);
    }
    return milestones
      .filter((item) => !known.has(item.caseId))
      .map((item) => ({ line: item.line, message: `case_id: ${item.caseId} is not imported; import the case first` }));
  });
}

/**
 * Upserts milestones, identified by (case, milestone type), in one transaction. The
 * stored milestones of the file's cases are read in batches, compared in memory, and
 * new ones inserted set-based (dialect.ts): a 100,000-row file is a few dozen statements.
 */
export function importMilestones(
  database: Database,
  milestones: MilestoneImport[],
  dryRun: boolean,
  progress?: Progress,
): Promise<ImportCounts> {
  const limit = maxBindValues(database.target.provider);
  const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0 };
  return guard(() =>
    // Kysely's set-based insert below runs in this transaction: it travels with the call.
    database.interactive(async (tx) => {
      const stored = new Map<string, { id: string; dueDate: string | null; completedDate: string | null; note: string }>();
      for (const batch of chunks([...new Set(milestones.map((item) => item.caseId))], limit)) {
        const rows = await tx.milestone.findMany({
          where: { caseId: { in: batch } },
          select: { id: true, caseId: true, type: true, dueDate: true, completedDate: true, note: true },
        });
        for (const row of rows) stored.set(`${row.caseId} ${row.type}`, row);
      }
      const data = (item: MilestoneImport) => ({ dueDate: item.dueDate, completedDate: item.completedDate ?? null, note: item.note });
      const fresh = milestones.filter((item) => !stored.has(`${item.caseId} ${item.type}`));
      const changed = milestones.filter((item) => {
        const existing = stored.get(`${item.caseId} ${item.type}`);
        return existing !== undefined && differs(existing, data(item), MILESTONE_FIELDS);
      });
      counts.created = fresh.length;
      counts.updated = changed.length;
      counts.unchanged = milestones.length - fresh.length - changed.length;
      if (!dryRun)
        await write(fresh, changed, MILESTONES_PER_INSERT, milestones.length, progress, {
          create: (batch) =>
            insertMilestones(
              database.kysely,
              database.target.provider,
              batch.map((item) => ({ caseId: item.caseId, type: item.type, ...data(item) })),
              new Date(),
            ),
          update: (item) => tx.milestone.update({ where: { id: stored.get(`${item.caseId} ${item.type}`)!.id }, data: data(item) }),
        });
      return counts;
    }, LONG),
  );
}
