import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import { runCli } from "../helpers/cli.js";
import { actorWith, coreDeps, validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

const GOOD_CASES = `case_id,title,partner,program_office,status,type,category
BN-B-SAA,Light tactical vehicles,Bandaria,PM LTV,IMPLEMENTED,FMS,B
bn d yab,"ATC radar, phase 2",Bandaria,AFLCMC,OFFERED,,C
BN-B-ZAD,Border security,Bandaria,DASA(DE&C),IMPLEMENTED,BPC,
XX-D-AAA,Secret title,Secret partner,Secret office,PRE_OFFER,FMS,A
`;

const BAD_CASES = `case_id,title,partner,program_office,status,type,category
BN-B-SAA,Light tactical vehicles,Bandaria,PM LTV,IMPLEMENTED,FMS,B
BN-X-SAA,Bad agency,Bandaria,PM,IMPLEMENTED,FMS,B
BN-D-YAB,ATC radar,Bandaria,AFLCMC,SIGNED,FMS,C
`;

const MILESTONES = `case_id,milestone,due_date,completed_date,note
BN-B-SAA,CASE_REVIEW,2026-06-01,,Annual review
BN-D-YAB,OED,2026-05-15,,
`;

describe.each(DATABASE_KINDS)("mission-assist CLI on $name", (kind) => {
  let db: TestDatabase;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await kind.create({ migrate: false });
    dir = await mkdtemp(path.join(tmpdir(), "ma-cli-"));
    env = { DATABASE_URL: db.url };
    await writeFile(path.join(dir, "good.csv"), GOOD_CASES);
    await writeFile(path.join(dir, "bad.csv"), BAD_CASES);
    await writeFile(path.join(dir, "milestones.csv"), MILESTONES);
    await writeFile(path.join(dir, "orphans.csv"), "case_id,milestone,due_date,completed_date,note\nGY-P-QQQ,OED,2026-05-15,,\n");
  });
  afterAll(async () => {
    await db.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("migrates an empty database, then reports nothing to do", async () => {
    const first = await runCli(["migrate"], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied \d+_init/);
    const second = await runCli(["migrate"], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/up to date/);
  });

  it("imports nothing from a file with bad rows and lists each with its line", async () => {
    const result = await runCli(["import", "cases", path.join(dir, "bad.csv")], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.csv:3: case_id: unknown implementing agency "X"/);
    expect(result.stderr).toMatch(/bad\.csv:4: status: must be one of PRE_OFFER/);
    expect(result.stderr).toMatch(/Nothing imported: 2 row/);
    expect(await db.database.prisma.case.count()).toBe(0);
  });

  it("imports a good file, then changes nothing on re-import", async () => {
    const dry = await runCli(["import", "cases", path.join(dir, "good.csv"), "--dry-run"], env);
    expect(dry.stdout).toMatch(/Dry run.*4 new/);
    expect(await db.database.prisma.case.count()).toBe(0);
    const first = await runCli(["import", "cases", path.join(dir, "good.csv")], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Imported 4 case\(s\): 4 new, 0 updated, 0 unchanged/);
    const again = await runCli(["import", "cases", path.join(dir, "good.csv")], env);
    expect(again.stdout).toMatch(/0 new, 0 updated, 4 unchanged/);
    const bpc = await db.database.prisma.case.findUnique({ where: { id: "BN-B-ZAD" } });
    expect([bpc?.type, bpc?.category]).toEqual(["BPC", "D"]);
    const masked = await db.database.prisma.case.findUnique({ where: { id: "XX-D-AAA" } });
    expect([masked?.masked, masked?.title, masked?.partner, masked?.programOffice]).toEqual([true, "", "", ""]);
  });

  it("imports milestones for known cases, and refuses ones for unknown cases", async () => {
    const orphans = await runCli(["import", "milestones", path.join(dir, "orphans.csv")], env);
    expect(orphans.code).toBe(1);
    expect(orphans.stderr).toMatch(/orphans\.csv:2: case_id: GY-P-QQQ is not imported/);
    const first = await runCli(["import", "milestones", path.join(dir, "milestones.csv")], env);
    expect(first.stdout).toMatch(/2 new/);
    const again = await runCli(["import", "milestones", path.join(dir, "milestones.csv")], env);
    expect(again.stdout).toMatch(/0 new, 0 updated, 2 unchanged/);
  });

  it("prints the service report as text, CSV or JSON, and explains a bad period", async () => {
    await runCli(["migrate"], env);
    const csv = await runCli(["report", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv"], env);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split("\n").slice(0, 4)).toEqual([
      "section,item,value",
      "period,from,2026-11-01",
      "period,to,2026-11-30",
      "filed,requests,0",
    ]);
    const json = await runCli(["report", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "json"], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ filed: 0, toFirstTriage: { count: 0 }, breaches: { triage: 0 } });
    const text = await runCli(["report", "--from", "2026-11-01"], env);
    expect(text.stdout).toMatch(/^period:\n {2}from: 2026-11-01\n/);
    const backwards = await runCli(["report", "--from", "2026-11-30", "--to", "2026-11-01"], env);
    expect([backwards.code, backwards.stderr]).toEqual([1, expect.stringMatching(/the first not after the second/)]);
    expect((await runCli(["report", "--format", "xml"], env)).code).toBe(2);
  });

  it("prints the text report with labels, and says which value was wrong with exit status 2", async () => {
    const deps = coreDeps(db.database, fixedClock("2026-11-10T15:00:00Z"));
    const requester = await actorWith(deps, "slack:U0REPORT1", "Report Requester");
    const filed = await submitRequest(deps, {
      actor: requester,
      raw: validForm({ component: "AIR_FORCE", supportType: "DOCUMENT_REVIEW", preferredStart: "2026-12-07", preferredEnd: "2026-12-08" }),
      platform: "slack",
    });
    expect(filed.ok).toBe(true);
    const text = await runCli(["report", "--from", "2026-11-01", "--to", "2026-11-30"], env);
    expect(text.stdout).toMatch(/^component:\n {2}Air Force: 1$/m);
    expect(text.stdout).toMatch(/^support type:\n {2}Document review: 1$/m);
    expect(text.stdout).not.toMatch(/AIR_FORCE|DOCUMENT_REVIEW/);
    const csv = await runCli(["report", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv"], env);
    expect(csv.stdout).toContain("component,AIR_FORCE,1");
    const badDay = await runCli(["report", "--from", "2026-13-01"], env);
    expect([badDay.code, badDay.stderr]).toEqual([
      2,
      'mission-assist: --from "2026-13-01" is not a date: give YYYY-MM-DD, for example 2026-11-01\n',
    ]);
    const badFormat = await runCli(["export", "requests", "--format", "xml"], env);
    expect([badFormat.code, badFormat.stderr]).toEqual([2, 'mission-assist: --format "xml" is not an export format: choose csv or json\n']);
  });

  it("imports the example files the README walks through", async () => {
    const cases = await runCli(["import", "cases", fileURLToPath(new URL("../../examples/cases.csv", import.meta.url))], env);
    expect([cases.code, cases.stderr]).toEqual([0, ""]);
    expect(cases.stdout).toMatch(/Imported 4 case\(s\): 4 new/);
    const milestones = await runCli(
      ["import", "milestones", fileURLToPath(new URL("../../examples/milestones.csv", import.meta.url))],
      env,
    );
    expect([milestones.code, milestones.stderr]).toEqual([0, ""]);
    expect(milestones.stdout).toMatch(/Imported 5 milestone\(s\): 5 new/);
  });

  it("grants, lists and revokes roles", async () => {
    expect((await runCli(["roles", "grant", "slack:U0123ABCD", "case-viewer:bn-d"], env)).stdout).toMatch(/Granted case-viewer:BN-D/);
    expect((await runCli(["roles", "grant", "slack:U0123ABCD", "case-viewer:BN-D"], env)).stdout).toMatch(/already has/);
    expect((await runCli(["roles", "list"], env)).stdout).toMatch(/slack:U0123ABCD\tcase-viewer:BN-D/);
    expect((await runCli(["roles", "revoke", "slack:U0123ABCD", "case-viewer:BN-D"], env)).stdout).toMatch(/Revoked/);
    const bad = await runCli(["roles", "grant", "U0123", "faculty"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/must look like slack:/);
  });

  it("refuses identities and scopes that could never match, in one line with exit status 2", async () => {
    const attempts = [
      [["teams:abc", "faculty"], /^mission-assist: "abc" is not an Azure AD object id: it is a GUID/],
      [["slack:u0123abcd", "faculty"], /^mission-assist: "u0123abcd" is not a Slack user id/],
      [["slack:U0123ABCD", "case-viewer:XX-Q"], /^mission-assist: case-viewer scope "XX-Q": unknown implementing agency "Q"/],
    ] as const;
    for (const [args, message] of attempts) {
      const result = await runCli(["roles", "grant", ...args], env);
      expect([result.code, result.stderr.trim().split("\n").length]).toEqual([2, 1]);
      expect(result.stderr).toMatch(message);
    }
    const playgroundUser = await runCli(["roles", "grant", "teams:00000000-0000-0000-0000-0000000000020", "faculty"], env);
    expect(playgroundUser.stdout).toMatch(/Granted faculty/);
    expect((await runCli(["roles", "list"], env)).stdout).not.toMatch(/teams:abc|u0123abcd|XX-Q/);
  });
});

describe("mission-assist CLI configuration errors", () => {
  it("stops with one line naming DATABASE_URL", async () => {
    const result = await runCli(["migrate"], { DATABASE_URL: "mysql://root@localhost/db" });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^Configuration error: DATABASE_URL unsupported scheme; expected file:<path>/);
  });

  it("stops with one line naming PORT", async () => {
    const result = await runCli(["serve"], { PORT: "eighty", DATABASE_URL: "file:/tmp/unused-ma.db" });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe("Configuration error: PORT must be a port number from 0 to 65535");
  });

  it("answers --version, per-command --help, a bad option and a missing file like a well-kept CLI", async () => {
    const version = await runCli(["--version"]);
    expect([version.code, version.stdout.trim()]).toEqual([0, "mission-assist 0.1.0"]);
    const help = await runCli(["import", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/import milestones FILE\.csv \[--dry-run\]/);
    expect(help.stdout).not.toMatch(/roles grant/);
    const casesHelp = await runCli(["import", "cases", "--help"]);
    expect(casesHelp.stdout).toContain("a header row case_id,title,partner,program_office,status,type,category");
    expect(casesHelp.stdout).toMatch(/^ {2}status\* +PRE_OFFER, OFFERED/m);
    expect(casesHelp.stdout).not.toMatch(/milestones/);
    const milestonesHelp = await runCli(["import", "milestones", "--help"]);
    expect(milestonesHelp.stdout).toMatch(/^ {2}due_date\* +YYYY-MM-DD, also for a milestone already completed$/m);
    expect(milestonesHelp.stdout).toMatch(/^ {2}completed_date +YYYY-MM-DD, or empty/m);
    expect(milestonesHelp.stdout).toContain("Example: examples/milestones.csv");
    const option = await runCli(["import", "cases", "x.csv", "--dryrun"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toBe("mission-assist: unknown or incomplete option --dryrun\nRun `mission-assist --help` for the commands.\n");
    const missing = await runCli(["import", "cases", "/nonexistent/cases.csv"], {
      DATABASE_URL: `file:${path.join(tmpdir(), "ma-cli-missing.db")}`,
    });
    expect([missing.code, missing.stderr.trim()]).toEqual([1, "/nonexistent/cases.csv: no such file"]);
    const format = await runCli(["export", "requests", "--format", "xml"], {
      DATABASE_URL: `file:${path.join(tmpdir(), "ma-cli-missing.db")}`,
    });
    expect(format.code).toBe(2);
  });

  it("reads .env from the folder it runs in, with the environment winning", async () => {
    const folder = await mkdtemp(path.join(tmpdir(), "ma-dotenv-"));
    try {
      await writeFile(path.join(folder, ".env"), "# as .env.example says\nDATABASE_URL=mysql://root@localhost/db\n");
      const fromFile = await runCli(["migrate"], {}, folder);
      expect([fromFile.code, fromFile.stderr]).toEqual([1, expect.stringMatching(/^Configuration error: DATABASE_URL unsupported scheme/)]);
      const fromEnvironment = await runCli(["roles", "grant", "teams:abc", "faculty"], { DATABASE_URL: "file:./ma.db" }, folder);
      // The environment's DATABASE_URL was used (the form check runs after the configuration loads).
      expect([fromEnvironment.code, fromEnvironment.stderr]).toEqual([2, expect.stringMatching(/is not an Azure AD object id/)]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("prints help for an unknown command", async () => {
    const result = await runCli(["frobnicate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command "frobnicate"/);
  });
});
