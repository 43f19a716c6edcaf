import { readFile } from "node:fs/promises";
import { CASE_COLUMNS, MILESTONE_COLUMNS, type RowError, validateCaseRows, validateMilestoneRows } from "../core/cases/import-rows.js";
import type { Database } from "../db/client.js";
import { type ImportCounts, importCases, importMilestones } from "../db/repositories/case-import.js";
import { parseCsv } from "./csv.js";

/** Files larger than this show progress while they import. */
const PROGRESS_ROWS = 2_000;

export interface ImportOutcome {
  ok: boolean;
  lines: string[];
}

function progressPrinter(total: number): ((done: number, all: number) => void) | undefined {
  if (total < PROGRESS_ROWS) return undefined;
  let last = 0;
  return (done, all) => {
    const percent = Math.floor((done / all) * 100);
    if (percent >= last + 10 || done === all) {
      last = percent;
      process.stderr.write(`  ${done.toLocaleString("en-US")} / ${all.toLocaleString("en-US")} rows (${percent}%)\n`);
    }
  };
}

function failure(file: string, errors: RowError[]): ImportOutcome {
  return {
    ok: false,
    lines: [...errors.map((error) => `${file}:${error.line}: ${error.message}`), `Nothing imported: ${errors.length} row(s) need fixing.`],
  };
}

function summary(what: string, counts: ImportCounts, dryRun: boolean): string {
  const verb = dryRun ? "Dry run, nothing written — would import" : "Imported";
  return `${verb} ${what}: ${counts.created} new, ${counts.updated} updated, ${counts.unchanged} unchanged.`;
}

async function readTable(file: string, expected: readonly string[]) {
  const text = await readFile(file, "utf8");
  let table: ReturnType<typeof parseCsv>;
  try {
    table = parseCsv(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { error: `${file}: not valid CSV: ${detail}` };
  }
  const missing = expected.filter((column) => !table.header.includes(column));
  if (missing.length > 0) return { error: `${file}: missing column(s) ${missing.join(", ")}; expected header ${expected.join(",")}` };
  return { table };
}

export async function runImport(database: Database, kind: "cases" | "milestones", file: string, dryRun: boolean): Promise<ImportOutcome> {
  if (kind === "cases") {
    const read = await readTable(file, CASE_COLUMNS);
    if ("error" in read) return { ok: false, lines: [read.error ?? ""] };
    const { cases, errors } = validateCaseRows(read.table.rows);
    if (errors.length > 0) return failure(file, errors);
    const counts = await importCases(database.prisma, cases, dryRun, progressPrinter(cases.length));
    return { ok: true, lines: [summary(`${cases.length} case(s)`, counts, dryRun)] };
  }
  const read = await readTable(file, MILESTONE_COLUMNS);
  if ("error" in read) return { ok: false, lines: [read.error ?? ""] };
  const { milestones, errors } = validateMilestoneRows(read.table.rows);
  if (errors.length > 0) return failure(file, errors);
  // Validation keeps rows in file order; line numbers are needed again for unknown cases.
  const lines = milestones.map((_, index) => index + 2);
  const result = await importMilestones(database.prisma, milestones, lines, dryRun, progressPrinter(milestones.length));
  if (result.errors.length > 0) return failure(file, result.errors);
  return { ok: true, lines: [summary(`${milestones.length} milestone(s)`, result.counts, dryRun)] };
}
