import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MILESTONE_TYPES } from "../../src/core/domain.js";
import { runCli } from "../helpers/cli.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

const CASES = 2_000;
const MILESTONES_PER_CASE = 10;

const caseId = (index: number) => `G${String.fromCharCode(65 + (index % 26))}-D-${index.toString(36).toUpperCase().padStart(3, "0")}`;

function casesCsv(): string {
  const rows = Array.from({ length: CASES }, (_, index) => `${caseId(index)},Case ${index},Partner,PMO,IMPLEMENTED,FMS,B`);
  return `case_id,title,partner,program_office,status,type,category\n${rows.join("\n")}\n`;
}

function milestonesCsv(extra: string[] = []): string {
  const rows: string[] = [];
  for (let index = 0; index < CASES; index++) {
    for (let type = 0; type < MILESTONES_PER_CASE; type++) {
      rows.push(`${caseId(index)},${MILESTONE_TYPES[type]},2027-0${1 + (type % 9)}-1${type % 10},,`);
    }
  }
  return `case_id,milestone,due_date,completed_date,note\n${[...rows, ...extra].join("\n")}\n`;
}

describe.each(DATABASE_KINDS)("importing 20,000 milestones on $name", (kind) => {
  let db: TestDatabase;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await kind.create();
    dir = await mkdtemp(path.join(tmpdir(), "ma-import-"));
    env = { DATABASE_URL: db.url };
    await writeFile(path.join(dir, "cases.csv"), casesCsv());
    await writeFile(path.join(dir, "milestones.csv"), milestonesCsv());
    const total = CASES * MILESTONES_PER_CASE;
    // One bad row at the very end: nothing of the file may be written.
    await writeFile(path.join(dir, "bad-last.csv"), milestonesCsv([`${caseId(0)},NOT_A_MILESTONE,2027-01-01,,`]).replace(/\n$/, "\n"));
    await writeFile(
      path.join(dir, "mixed.csv"),
      `case_id,milestone,due_date,completed_date,note\n${caseId(1)},OED,2027-02-30,,\nGY-P-ZZZ,OED,2027-01-01,,\n${caseId(2)},SIGNED,2027-01-01,,\n${caseId(3)},Offer expiration (OED),2027-03-01,,\n`,
    );
    expect(total).toBe(20_000);
  });
  afterAll(async () => {
    await db.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("imports them all in one run, with progress, and changes nothing on re-import", async () => {
    expect((await runCli(["import", "cases", path.join(dir, "cases.csv")], env)).code).toBe(0);
    const first = await runCli(["import", "milestones", path.join(dir, "milestones.csv")], env);
    expect([first.code, first.stdout.trim()]).toEqual([0, "Imported 20000 milestone(s): 20000 new, 0 updated, 0 unchanged."]);
    expect(first.stderr).toMatch(/20,000 \/ 20,000 milestones \(100%\), [\d,]+\/s, about 0 s left/);
    expect(await db.database.prisma.milestone.count()).toBe(20_000);
    const again = await runCli(["import", "milestones", path.join(dir, "milestones.csv")], env);
    expect(again.stdout.trim()).toBe("Imported 20000 milestone(s): 0 new, 0 updated, 20000 unchanged.");
  });

  it("writes nothing when only the last row is bad, and names that line", async () => {
    await db.database.prisma.milestone.deleteMany({ where: { caseId: caseId(0) } });
    const before = await db.database.prisma.milestone.count();
    const result = await runCli(["import", "milestones", path.join(dir, "bad-last.csv")], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad-last\.csv:20002: milestone: must be a milestone type/);
    expect(result.stderr).toMatch(/Nothing imported: 1 row\(s\) need fixing\./);
    expect(await db.database.prisma.milestone.count()).toBe(before);
  });

  it("reports a bad date, an unknown case and a bad milestone type in one run, and accepts shown names", async () => {
    const result = await runCli(["import", "milestones", path.join(dir, "mixed.csv")], env);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/mixed\.csv:2: due_date: must be a date/),
      expect.stringMatching(/mixed\.csv:3: case_id: GY-P-ZZZ is not imported/),
      expect.stringMatching(/mixed\.csv:4: milestone: must be a milestone type/),
      "Nothing imported: 3 row(s) need fixing.",
    ]);
  });
});
