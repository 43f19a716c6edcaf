import { readFile } from "node:fs/promises";
import type { Config } from "../config.js";
import { isIsoDate } from "../core/dates.js";
import { GENESIS_HASH } from "../core/records/audit-chain.js";
import { formatAuditLine, formatSummaryLine, verifyAuditFile } from "../core/records/audit-file.js";
import { createAuditTrail } from "../db/repositories/audit-trail.js";
import { BadValueError, say, withDatabase } from "./shared.js";

/** Progress goes to stderr every this many events, so a long export shows it is alive. */
const PROGRESS_EVERY = 10_000;

/** A --from/--to value: a UTC day (the whole day) or an ISO-8601 instant. */
function instant(option: "--from" | "--to", value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  if (isIsoDate(value)) return new Date(`${value}T${option === "--from" ? "00:00:00.000" : "23:59:59.999"}Z`);
  const parsed = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value) ? new Date(value) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime()))
    throw new BadValueError(
      `${option} "${value}" is not a date: give YYYY-MM-DD (a UTC day) or an ISO-8601 time such as 2026-11-01T12:00:00Z`,
    );
  return parsed;
}

const write = (text: string) =>
  new Promise<void>((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));

/** `export audit [--from DATE] [--to DATE]`: the audit trail as hash-chained JSON lines, to stdout. */
export async function exportAudit(config: Config, values: { from?: string; to?: string }): Promise<number> {
  const range = { from: instant("--from", values.from), to: instant("--to", values.to) };
  const { count, prev } = await withDatabase(config, async (database) => {
    let count = 0;
    let prev = GENESIS_HASH;
    for await (const batch of createAuditTrail(database.prisma).lines(range)) {
      const text: string[] = [];
      for (const entry of batch) {
        const line = formatAuditLine(entry, prev);
        text.push(line.text);
        prev = line.hash;
        count++;
        if (count % PROGRESS_EVERY === 0) process.stderr.write(`… ${count} event(s)\n`);
      }
      if (text.length > 0) await write(`${text.join("\n")}\n`);
    }
    return { count, prev };
  });
  await write(`${formatSummaryLine(count, prev)}\n`);
  process.stderr.write(`Exported ${count} audit event(s); final hash ${prev}.\n`);
  return 0;
}

/** `verify-audit FILE`: 0 and "intact: N events", or 1 naming the first line changed, removed, inserted or reordered. */
export async function verifyAuditExport(file: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new BadValueError(`cannot read "${file}": give the path of a file written by export audit`);
  }
  const verdict = verifyAuditFile(text);
  if (verdict.ok) {
    say(`intact: ${events(verdict.count)} (final hash ${verdict.finalHash})`);
    return 0;
  }
  process.stderr.write(`not intact: line ${verdict.line}: ${verdict.problem}\n`);
  return 1;
}

/** `verify-audit --database`: walks the chain stored with the events. */
export async function verifyAuditDatabase(config: Config): Promise<number> {
  const verdict = await withDatabase(config, (database) =>
    createAuditTrail(database.prisma).walk((done, total) => {
      if (total > PROGRESS_EVERY) process.stderr.write(`… ${done}/${total}\n`);
    }),
  );
  if (verdict.ok) {
    say(`intact: ${events(verdict.count)} in the database (head ${verdict.headHash})`);
    return 0;
  }
  process.stderr.write(`not intact: ${verdict.problem}\n`);
  return 1;
}

const events = (count: number) => `${count} event${count === 1 ? "" : "s"}`;
