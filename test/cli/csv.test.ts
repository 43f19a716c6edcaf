import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { neutraliseFormula, parseCsv, toCsv } from "../../src/cli/csv.js";

const PAYLOAD = "PEO Aviation;=cmd|' /C calc'!A0";
/** What a spreadsheet reads as a formula at the start of a cell. */
const DANGEROUS_START = /^[=+\-@\t\r]/;

describe("neutraliseFormula", () => {
  it("makes formula-leading cells plain text and leaves the rest", () => {
    expect(["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "plain", "MA-2026-0001"].map(neutraliseFormula)).toEqual([
      "'=SUM(A1)",
      "'+1",
      "'-2",
      "'@cmd",
      "'\tx",
      "plain",
      "MA-2026-0001",
    ]);
  });

  it("neutralises a formula after every separator inside a field, not only at its start", () => {
    expect(neutraliseFormula(PAYLOAD)).toBe("PEO Aviation;'=cmd|' /C calc'!A0");
    expect(neutraliseFormula("a,+1\n@x\t-2;;=y")).toBe("a,'+1\n'@x\t'-2;;'=y");
    expect(neutraliseFormula("\t=x")).toBe("'\t'=x");
    expect(neutraliseFormula("Mon-Fri, 9-5")).toBe("Mon-Fri, 9-5");
  });
});

describe("toCsv", () => {
  const columns = ["id", "organization", "program", "audience_size"];
  const text = toCsv(columns, [
    { id: "MA-2026-0001", organization: PAYLOAD, program: "Radar,@SUM(1)\n-3", audience_size: 12 },
    { id: "MA-2026-0002", organization: '=HYPERLINK("http://x")', program: "plain", audience_size: 3 },
  ]);

  it.each([";", ","])("has no cell a spreadsheet would run when read with %j as the delimiter", (delimiter) => {
    const cells: string[][] = parse(text, { delimiter, relax_quotes: true, relax_column_count: true, skip_empty_lines: true });
    const flat = cells.flat();
    expect(flat.length).toBeGreaterThan(columns.length);
    expect(flat.filter((cell) => DANGEROUS_START.test(cell))).toEqual([]);
  });

  it("reads back as RFC 4180 with every value intact but for the apostrophes", () => {
    const table = parseCsv(text);
    expect(table.header).toEqual(columns);
    expect(table.rows[0]?.organization).toBe("PEO Aviation;'=cmd|' /C calc'!A0");
    expect(table.rows[0]?.program).toBe("Radar,'@SUM(1)\n'-3");
    expect(table.rows[1]?.organization).toBe('\'=HYPERLINK("http://x")');
  });
});
