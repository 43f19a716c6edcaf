import { describe, expect, it } from "vitest";
import { GENESIS_HASH } from "../../../src/core/records/audit-chain.js";
import { type AuditLine, formatAuditLine, formatSummaryLine, verifyAuditFile } from "../../../src/core/records/audit-file.js";

function entry(seq: number): AuditLine {
  return {
    seq,
    time: new Date(Date.UTC(2026, 0, 1, 12, seq)).toISOString(),
    actor: { id: `p${seq}`, name: `Person ${seq}`, identities: [`slack:U${seq}`] },
    request: "MA-2026-0001",
    action: seq === 1 ? "submit" : "accept",
    ...(seq === 1 ? { after: "SUBMITTED" } : { before: "SUBMITTED", after: "ACCEPTED" }),
    note: `note ${seq} "quoted" ,"hash":"x"}`,
    platform: "slack",
  };
}

/** An export of `count` events: its lines (events, then the summary). */
function exported(count: number): string[] {
  const lines: string[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const line = formatAuditLine(entry(seq), prev);
    lines.push(line.text);
    prev = line.hash;
  }
  lines.push(formatSummaryLine(count, prev));
  return lines;
}

const verify = (lines: string[]) => verifyAuditFile(`${lines.join("\n")}\n`);

describe("verifyAuditFile", () => {
  it("finds an intact export intact, with its count", () => {
    expect(verify(exported(6))).toMatchObject({ ok: true, count: 6 });
    expect(verify(exported(0))).toEqual({ ok: true, count: 0, finalHash: GENESIS_HASH });
  });

  it("names a line with one character changed", () => {
    const lines = exported(6);
    lines[2] = lines[2]!.replace("note 3", "note 8");
    expect(verify(lines)).toMatchObject({ ok: false, line: 3, problem: expect.stringMatching(/changed/) });
    const prev = exported(6);
    prev[4] = prev[4]!.replace(/"prev":"(.)/, (_, first: string) => `"prev":"${first === "a" ? "b" : "a"}`);
    expect(verify(prev)).toMatchObject({ ok: false, line: 5, problem: expect.stringMatching(/changed/) });
  });

  it("names where a line was removed, including the first and the last", () => {
    const lines = exported(6);
    lines.splice(3, 1);
    expect(verify(lines)).toMatchObject({ ok: false, line: 4, problem: expect.stringMatching(/removed before line 4/) });
    const first = exported(6).slice(1);
    expect(verify(first)).toMatchObject({ ok: false, line: 1, problem: expect.stringMatching(/removed/) });
    const last = exported(6);
    last.splice(5, 1);
    expect(verify(last)).toMatchObject({ ok: false, line: 6, problem: expect.stringMatching(/summary does not match/) });
  });

  it("names the first of two swapped lines as out of order", () => {
    const lines = exported(6);
    [lines[1], lines[2]] = [lines[2]!, lines[1]!];
    expect(verify(lines)).toMatchObject({ ok: false, line: 2, problem: expect.stringMatching(/out of order: it follows line 3/) });
    const far = exported(6);
    [far[0], far[4]] = [far[4]!, far[0]!];
    expect(verify(far)).toMatchObject({ ok: false, line: 1, problem: expect.stringMatching(/out of order/) });
  });

  it("names an inserted line, whether copied or forged with a correct hash and link", () => {
    const copied = exported(6);
    copied.splice(4, 0, copied[1]!);
    expect(verify(copied)).toMatchObject({ ok: false, line: 5, problem: expect.stringMatching(/inserted/) });
    const forged = exported(6);
    const before = JSON.parse(forged[2]!) as { hash: string };
    forged.splice(3, 0, formatAuditLine({ ...entry(9), note: "forged" }, before.hash).text);
    expect(verify(forged)).toMatchObject({ ok: false, line: 4, problem: expect.stringMatching(/inserted/) });
  });

  it("names a missing or changed summary", () => {
    expect(verify(exported(3).slice(0, 3))).toMatchObject({
      ok: false,
      line: 4,
      problem: expect.stringMatching(/summary line is missing/),
    });
    const lines = exported(3);
    lines[3] = lines[3]!.replace('"count":3', '"count":2');
    expect(verify(lines)).toMatchObject({ ok: false, line: 4 });
  });
});
