import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";

export interface CsvTable {
  header: string[];
  rows: Record<string, string>[];
}

/** RFC 4180 CSV with a header row; a UTF-8 byte order mark is allowed. */
export function parseCsv(text: string): CsvTable {
  const records: string[][] = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false });
  const [header = [], ...body] = records;
  const names = header.map((name) => name.trim().toLowerCase());
  return { header: names, rows: body.map((cells) => Object.fromEntries(names.map((name, index) => [name, cells[index] ?? ""]))) };
}

/**
 * Text a spreadsheet could read as a formula: = + - @ (or a tab / carriage return) at the
 * start of a cell. A spreadsheet that splits on another delimiter (`;` in many European
 * locales, a tab on paste) starts a new cell after `;`, `,`, a tab or a line break inside
 * our field, so the same characters there are dangerous too (OWASP, CSV injection).
 */
const FORMULA_CHARACTERS = new Set(["=", "+", "-", "@", "\t", "\r"]);
const SEPARATORS = new Set([";", ",", "\t", "\r", "\n"]);

/** A leading apostrophe makes a would-be formula plain text, at the field's start and after each separator in it. */
export function neutraliseFormula(value: string): string {
  let out = "";
  for (let index = 0; index < value.length; index++) {
    const char = value[index] as string;
    const startsCell = index === 0 || SEPARATORS.has(value[index - 1] as string);
    out += startsCell && FORMULA_CHARACTERS.has(char) ? `'${char}` : char;
  }
  return out;
}

export function toCsv(columns: string[], rows: Array<Record<string, string | number | boolean>>): string {
  return stringify(
    rows.map((row) => columns.map((column) => neutraliseFormula(String(row[column] ?? "")))),
    // A neutralised field is quoted as a whole (it carries `'`), and so is one with any separator.
    { header: true, columns, quoted_match: /[",;'\t\n\r]/ },
  );
}
