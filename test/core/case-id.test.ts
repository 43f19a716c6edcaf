import { describe, expect, it } from "vitest";
import { IMPLEMENTING_AGENCIES, parseCaseId } from "../../src/core/ids/case-id.js";
import { formatRequestNumber, parseRequestNumber } from "../../src/core/ids/request-number.js";

describe("parseCaseId", () => {
  it.each([
    ["BN-B-SAA", "BN-B-SAA", "BN-B-SAA"],
    ["bn b saa", "BN-B-SAA", "BN-B-SAA"],
    ["BNBSAA", "BN-B-SAA", "BN-B-SAA"],
    ["  at-d-yab  ", "AT-D-YAB", "AT-D-YAB"],
    ["BN-B-SAA-A1", "BN-B-SAA", "BN-B-SAA-A01"],
    ["BN-B-SAA-m12", "BN-B-SAA", "BN-B-SAA-M12"],
    ["BN-B-SAA-BASIC", "BN-B-SAA", "BN-B-SAA-BASIC"],
    ["BNBSAAA01", "BN-B-SAA", "BN-B-SAA-A01"],
    ["GY-P-A1B", "GY-P-A1B", "GY-P-A1B"],
    ["XX-D-AAA", "XX-D-AAA", "XX-D-AAA"],
  ])("normalises %s to %s", (input, id, full) => {
    const result = parseCaseId(input);
    expect(result.ok && result.value.id).toBe(id);
    expect(result.ok && result.value.full).toBe(full);
  });

  it.each([
    ["BN-B-SA", "case designator", /too short/],
    ["BN-B-SAAA", "case designator", /too long/],
    ["BN-1-SAA", "implementing agency", /single letter/],
    ["BN-X-SAA", "implementing agency", /unknown implementing agency "X"/],
    ["B!-B-SAA", "customer code", /customer code "B!"/],
    ["BN-B-SAA-A00", "document suffix", /count from 01/],
    ["BN-B-SAA-Z01", "document suffix", /must be BASIC/],
    ["", "format", /needed/],
    ["BN-B-SAA-A01-X", "format", /too many parts/],
  ])("rejects %s naming the %s", (input, part, message) => {
    const result = parseCaseId(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.part).toBe(part);
      expect(result.message).toMatch(message);
    }
  });

  it("recognises masked XX cases", () => {
    const masked = parseCaseId("xx-b-abc");
    const open = parseCaseId("BN-B-ABC");
    expect(masked.ok && masked.value.masked).toBe(true);
    expect(open.ok && open.value.masked).toBe(false);
  });

  it("reads agencies from the table, so a new row is accepted", () => {
    expect(Object.keys(IMPLEMENTING_AGENCIES).sort()).toEqual(["B", "D", "F", "P", "R"]);
    for (const agency of Object.keys(IMPLEMENTING_AGENCIES)) expect(parseCaseId(`BN-${agency}-AAA`).ok).toBe(true);
  });
});

describe("request numbers", () => {
  it("formats with at least four digits and parses loose forms", () => {
    expect(formatRequestNumber(2026, 7)).toBe("MA-2026-0007");
    expect(formatRequestNumber(2026, 12345)).toBe("MA-2026-12345");
    expect(parseRequestNumber("ma-2026-7")).toBe("MA-2026-0007");
    expect(parseRequestNumber("MA 2026 0007")).toBe("MA-2026-0007");
    expect(parseRequestNumber("MA-2026-0000")).toBeUndefined();
    expect(parseRequestNumber("BN-B-SAA")).toBeUndefined();
  });
});
