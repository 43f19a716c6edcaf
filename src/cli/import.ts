import { readFile } from "node:fs/promises";
import { CASE_COLUMNS, MILESTONE_COLUMNS, type RowError, validateCaseRows, validateMilestoneRows } from "../core/cases/import-rows.js";
import { CASE_STATUSES } from "../core/domain.js";
import type { Database } from "../db/client.js";
import { type ImportCounts, importCases, importMilestones, unknownCaseErrors } from "../db/repositories/case-import.js";
import { parseCsv } from "./csv.js";

/** What each column holds, for `import --help`; `*` marks a column that must have a value. */
const COLUMN_HELP: Record<"cases" | "milestones", Array<[string, string]>> = {
  cases: [
    ["case_id*", "CC-I-DDD, for example BN-B-SAA"],
    ["title", "up to 300 characters"],
    ["partner", "up to 200 characters"],
    ["program_office", "up to 200 characters"],
    ["status*", CASE_STATUSES.join(", ")],
    ["type", "FMS or BPC; empty means FMS"],
    ["category", "LOA category A, B, C or D, or empty; BPC cases are always D"],
  ],
  milestones: [
    ["case_id*", "a case already imported (import cases first)"],
    ["milestone*", 'a milestone type, by code or by name: LOR_RECEIVED or "LOR received" (README lists them)'],
    ["due_date*", "YYYY-MM-DD, also for a milestone already completed"],
    ["completed_date", "YYYY-MM-DD, or empty while it is open"],
    ["note", "up to 1,000 characters"],
  ],
};

/** The columns of one file kind (or both), as `import --help` prints them. */
export function importColumnsHelp(kind?: "cases" | "milestones"): string {
  const kinds = kind ? [kind] : (["cases", "milestones"] as const);
  return kinds
    .map((each) => {
      const header = (each === "cases" ? CASE_COLUMNS : MILESTONE_COLUMNS).join(",");
      const rows = COLUMN_HELP[each].map(([column, meaning]) => `  ${column.padEnd(16)}${meaning}`);
      return [
        `${each}.csv: UTF-8, a header row ${header}; every column in the header, * = a value is required.`,
        ...rows,
        `  Example: examples/${each}.csv`,
      ].join("\n");
    })
    .join("\n\n");
}

/** Files larger than this show progress while they import. */
const PROGRESS_ROWS = 2_000;

export interface ImportOutcome {
  ok: boolean;
  lines: string[];
}

/** Progress every 10 %, with the rate and the time left, on stderr. */
function progressPrinter(total: number, what: string): ((done: number, all: number) => void) | undefined {
  if (total < PROGRESS_ROWS) return undefined;
  const started = Date.now();
  let last = -1;
  return (done, all) => {
    const percent = Math.floor((done / all) * 100);
    if (percent < last + 10 && done !== all) return;
    if (done === all && last === 100) return;
    last = percent;
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const rate = done / seconds;
    const left = rate > 0 ? Math.ceil((all - done) / rate) : 0;
    const count = (n: number) => n.toLocaleString("en-US");
    process.stderr.write(`  ${count(done)} / ${count(all)} ${what} (${percent}%), ${count(Math.round(rate))}/s, about ${left} s left\n`);
  };
}

function failure(file: string, errors: RowError[]): ImportOutcome {
  const sorted = [...errors].sort((a, b) => a.line - b.line);
  return {
    ok: false,
    lines: [...sorted.map((error) => `${file}:${error.line}: ${error.message}`), `Nothing imported: ${errors.length} row(s) need fixing.`],
  };
}

function summary(what: string, counts: ImportCounts, dryRun: boolean): string {
  const verb = dryRun ? "Dry run, nothing written — would import" : "Imported";
  return `${verb} ${what}: ${counts.created} new, ${counts.updated} updated, ${counts.unchanged} unchanged.`;
}

async function readTable(file: string, expected: readonly string[]) {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { error: code === "ENOENT" ? `${file}: no such file` : `${file}: cannot be read (${code ?? "error"})` };
  }
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

/**
 * `import cases|milestones FILE.csv [--dry-run]`: every row is validated, and every
 * error of every kind (bad fields, duplicates, unknown cases) is listed by line in one
 * run before anything is written; then all rows are written in one transaction.
 */
export async function runImport(database: Database, kind: "cases" | "milestones", file: string, dryRun: boolean): Promise<ImportOutcome> {
  if (kind === "cases") {
    const read = await readTable(file, CASE_COLUMNS);
    if ("error" in read) return { ok: false, lines: [read.error ?? ""] };
    const { cases, errors } = validateCaseRows(read.table.rows);
    if (errors.length > 0) return failure(file, errors);
    const counts = await importCases(database, cases, dryRun, progressPrinter(cases.length, "cases"));
    return { ok: true, lines: [summary(`${cases.length} case(s)`, counts, dryRun)] };
  }
  const read = await readTable(file, MILESTONE_COLUMNS);
  if ("error" in read) return { ok: false, lines: [read.error ?? ""] };
  const { milestones, errors } = validateMilestoneRows(read.table.rows);
  const unknown = await unknownCaseErrors(database, milestones);
  if (errors.length + unknown.length > 0) return failure(file, [...errors, ...unknown]);
  const counts = await importMilestones(database, milestones, dryRun, progressPrinter(milestones.length, "milestones"));
  return { ok: true, lines: [summary(`${milestones.length} milestone(s)`, counts, dryRun)] };
}
