import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { addTemplate } from "../../src/core/faculty/templates.js";
import { moveRequest } from "../../src/core/requests/move-request.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import { runCli } from "../helpers/cli.js";
import { actorWith, coreDeps, TEST_NOW, validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";

describe.each(DATABASE_KINDS)("export audit and verify-audit on $name", (kind) => {
  let db: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  let file: string;
  let lines: string[];

  /** The export with `change` applied to its lines, written to a file of its own. */
  async function tampered(name: string, change: (copy: string[]) => void): Promise<string> {
    const copy = [...lines];
    change(copy);
    const target = path.join(dir, `${name}.jsonl`);
    await writeFile(target, `${copy.join("\n")}\n`);
    return target;
  }

  beforeAll(async () => {
    db = await kind.create();
    dir = await mkdtemp(path.join(tmpdir(), "ma-audit-"));
    env = { DATABASE_URL: db.url };
    const clock = fixedClock(TEST_NOW);
    const deps = coreDeps(db.database, clock);
    const requester = await actorWith(deps, "slack:UREQ", "Jordan Lee");
    const faculty = await actorWith(deps, "teams:fac-1", "Dana Ruiz", [{ role: "faculty" }]);
    for (let index = 0; index < 2; index++) {
      clock.advance(3_600_000);
      const filed = await submitRequest(deps, { actor: requester, raw: validForm(), platform: "slack" });
      if (!filed.ok) throw new Error("the form should be valid");
      if (index === 0) {
        clock.advance(3_600_000);
        await moveRequest(deps, {
          actor: faculty,
          requestId: filed.request.id,
          expectedVersion: 1,
          move: { kind: "askInfo", question: "Which LOA line?" },
        });
      }
    }
    clock.advance(3_600_000);
    await addTemplate(deps, faculty, { name: "pricing", text: "Please send the pricing sheet for {id}." });
  });
  afterAll(async () => {
    await db.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("exports every event as a chained JSON line, and verifies the file intact", async () => {
    const result = await runCli(["export", "audit"], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Exported 4 audit event\(s\); final hash [0-9a-f]{64}/);
    lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(5);
    const first = JSON.parse(lines[0]!);
    expect(first).toMatchObject({
      seq: 1,
      request: "MA-2026-0001",
      action: "submit",
      after: "SUBMITTED",
      actor: { name: "Jordan Lee", identities: ["slack:UREQ"] },
      platform: "slack",
      prev: "0".repeat(64),
    });
    expect(first.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(JSON.parse(lines[1]!)).toMatchObject({ action: "askInfo", before: "SUBMITTED", after: "NEEDS_INFO", platform: "teams" });
    expect(JSON.parse(lines[3]!)).toMatchObject({ action: "template-add", subject: "pricing" });
    expect(JSON.parse(lines[4]!)).toEqual({ summary: true, count: 4, finalHash: JSON.parse(lines[3]!).hash });
    file = path.join(dir, "audit.jsonl");
    await writeFile(file, result.stdout);
    const verified = await runCli(["verify-audit", file], env);
    expect([verified.code, verified.stdout.trim()]).toEqual([0, `intact: 4 events (final hash ${JSON.parse(lines[3]!).hash})`]);
  });

  it("names a line with one character changed, a dropped line, two swapped lines and an inserted line", async () => {
    const cases: Array<[string, (copy: string[]) => void, RegExp]> = [
      ["changed", (copy) => (copy[1] = copy[1]!.replace("Which LOA", "Which LOB")), /line 2: this line was changed/],
      ["dropped", (copy) => copy.splice(1, 1), /line 2: a line was removed before line 2/],
      ["swapped", (copy) => ([copy[1], copy[2]] = [copy[2]!, copy[1]!]), /line 2: this line is out of order/],
      ["inserted", (copy) => copy.splice(2, 0, copy[0]!), /line 3: this line was inserted/],
    ];
    for (const [name, change, expected] of cases) {
      const result = await runCli(["verify-audit", await tampered(name, change)], env);
      expect({ name, code: result.code, stderr: result.stderr }).toEqual({ name, code: 1, stderr: expect.stringMatching(expected) });
    }
  });

  it("exports a period only, as a file that verifies on its own", async () => {
    const none = await runCli(["export", "audit", "--to", "2020-01-01"], env);
    expect(none.stdout.trim()).toBe(JSON.stringify({ summary: true, count: 0, finalHash: "0".repeat(64) }));
    const from = JSON.parse(lines[2]!).time as string;
    const part = await runCli(["export", "audit", "--from", from], env);
    expect(part.stdout.trimEnd().split("\n")).toHaveLength(3);
    const partFile = path.join(dir, "part.jsonl");
    await writeFile(partFile, part.stdout);
    expect((await runCli(["verify-audit", partFile], env)).stdout).toMatch(/^intact: 2 events/);
  });

  it("walks the chain in the database, and names an event edited there directly", async () => {
    const intact = await runCli(["verify-audit", "--database"], env);
    expect([intact.code, intact.stdout]).toEqual([0, expect.stringMatching(/^intact: 4 events in the database/)]);
    const { kysely } = db.database;
    await sql`UPDATE "AuditEvent" SET "note" = 'nothing to see' WHERE "seq" = 2`.execute(kysely);
    const edited = await runCli(["verify-audit", "--database"], env);
    expect([edited.code, edited.stderr]).toEqual([1, expect.stringMatching(/not intact: event 2 \(request event .+\) was changed/)]);
    await sql`UPDATE "AuditEvent" SET "note" = '' WHERE "seq" = 2`.execute(kysely);
    await sql`DELETE FROM "AuditEvent" WHERE "seq" = 1`.execute(kysely);
    const removed = await runCli(["verify-audit", "--database"], env);
    expect([removed.code, removed.stderr]).toEqual([1, expect.stringMatching(/event 1 was removed/)]);
  });

  it("exits 2 on usage errors", async () => {
    for (const args of [
      ["verify-audit"],
      ["verify-audit", "a", "b"],
      ["verify-audit", "--database", "a"],
      ["export", "audit", "--from", "yesterday"],
    ]) {
      const result = await runCli(args, env);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
    }
    expect((await runCli(["verify-audit", path.join(dir, "missing.jsonl")], env)).code).toBe(2);
    expect(await readFile(file, "utf8")).toContain('"summary":true');
  });
});
