import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import type { MilestoneImport } from "../src/core/cases/import-rows.js";
import { MILESTONE_TYPES } from "../src/core/domain.js";
import type { CaseRecord } from "../src/core/model.js";
import { importCases, importMilestones } from "../src/db/repositories/case-import.js";
import type { TestDatabase } from "../test/helpers/databases.js";
import { type BenchRow, progress } from "./report.js";

const TYPES_PER_CASE = 10;

function rowsFor(count: number): { cases: CaseRecord[]; milestones: MilestoneImport[] } {
  const caseCount = Math.ceil(count / TYPES_PER_CASE);
  const cases = Array.from({ length: caseCount }, (_, index) => ({
    id: `G${String.fromCharCode(65 + (index % 26))}-D-${index.toString(36).toUpperCase().padStart(3, "0")}`,
    title: `Case ${index}`,
    partner: "Partner",
    programOffice: "PMO",
    status: "IMPLEMENTED" as const,
    type: "FMS" as const,
    category: "B",
    masked: false,
  }));
  const milestones = Array.from({ length: count }, (_, index) => ({
    line: index + 2,
    caseId: cases[Math.floor(index / TYPES_PER_CASE)]!.id,
    type: MILESTONE_TYPES[index % TYPES_PER_CASE]!,
    dueDate: "2027-03-15",
    note: "",
  }));
  return { cases, milestones };
}

/** The same rows with the raw driver, in one transaction: the floor an import could reach. */
async function rawInsert(db: TestDatabase, milestones: MilestoneImport[]): Promise<void> {
  const now = new Date().toISOString();
  if (db.database.target.provider === "sqlite") {
    const raw = new Database(db.url.slice("file:".length));
    const insert = raw.prepare(
      `INSERT INTO "Milestone" ("id","caseId","type","dueDate","completedDate","note","updatedAt") VALUES (?,?,?,?,NULL,?,?)`,
    );
    raw.transaction(() => {
      for (const item of milestones) insert.run(randomUUID(), item.caseId, item.type, item.dueDate, item.note, now);
    })();
    raw.close();
    return;
  }
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query("BEGIN");
  for (let start = 0; start < milestones.length; start += 1_000) {
    const batch = milestones.slice(start, start + 1_000);
    const values = batch.map((_, index) => `($${index * 4 + 1},$${index * 4 + 2},$${index * 4 + 3},$${index * 4 + 4},NULL,'',now())`);
    await client.query(
      `INSERT INTO "Milestone" ("id","caseId","type","dueDate","completedDate","note","updatedAt") VALUES ${values.join(",")}`,
      batch.flatMap((item) => [randomUUID(), item.caseId, item.type, item.dueDate]),
    );
  }
  await client.query("COMMIT");
  await client.end();
}

/**
 * `import milestones` of N new rows (validation done, as the CLI does before writing)
 * against the same rows inserted with the raw driver in one transaction.
 */
export async function benchImport(db: TestDatabase, options: { count: number; rounds: number }): Promise<BenchRow[]> {
  const { cases, milestones } = rowsFor(options.count);
  await importCases(db.database, cases, false);
  const provider = db.database.target.provider;
  const clear = () => db.database.prisma.milestone.deleteMany();
  const timings = { ours: [] as number[], raw: [] as number[] };
  for (let round = 0; round < options.rounds; round++) {
    progress(`import of ${options.count.toLocaleString("en-US")} milestones on ${provider}: round ${round + 1} of ${options.rounds}`);
    await clear();
    let started = performance.now();
    await importMilestones(db.database, milestones, false);
    timings.ours.push(performance.now() - started);
    await clear();
    started = performance.now();
    await rawInsert(db, milestones);
    timings.raw.push(performance.now() - started);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const ours = options.count / (median(timings.ours) / 1000);
  const raw = options.count / (median(timings.raw) / 1000);
  const ratio = raw / ours;
  return [
    {
      scenario: `Import ${options.count.toLocaleString("en-US")} milestones (${provider})`,
      metric: "rows/s",
      value: ours,
      baseline: raw,
      ratio,
      ratioLabel: "raw driver rows/s ÷ ours (time ratio)",
      goal: "≤ 10×",
      met: ratio <= 10,
      unit: "/s",
    },
  ];
}
