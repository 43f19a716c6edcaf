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
 * Cells that start with = + - @ (or a tab / carriage return) are read as formulas by
 * spreadsheet programs; a leading apostrophe makes them plain text.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function toCsv(columns: string[], rows: Array<Record<string, string | number | boolean>>): string {
  return stringify(
    rows.map((row) => columns.map((column) => neutraliseFormula(String(row[column] ?? "")))),
    { header: true, columns, quoted_match: /[",\n\r]/ },
  );
}
