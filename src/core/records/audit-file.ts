import { GENESIS_HASH, sha256 } from "./audit-chain.js";

/**
 * The exported audit trail: one JSON object per line, each with `prev` (the hash of the line
 * before; the genesis hash for the first) and `hash` = SHA-256 of the line's own text without
 * its `hash` member, then a summary line `{"summary":true,"count":N,"finalHash":…}`.
 * The hash covers the exact bytes written, so changing any one character is found.
 */

/** One audit event as exported. */
export interface AuditLine {
  /** Its place in the database's chain. */
  seq: number;
  /** UTC ISO-8601. */
  time: string;
  actor: { id: string; name: string; identities: string[] };
  /** MA-… for request events and purge tombstones. */
  request?: string;
  /** What a workbench event changed (a saved reply's name, a person id). */
  subject?: string;
  action: string;
  before?: string;
  after?: string;
  note: string;
  /** Where the actor acts from (their identities' platforms), "" for the command line. */
  platform: string;
}

const HASH_MEMBER = /,"hash":"([0-9a-f]{64})"\}$/;

/** The line's text and its hash, following `prev`. */
export function formatAuditLine(entry: AuditLine, prev: string): { text: string; hash: string } {
  const body = JSON.stringify({ ...entry, prev });
  const hash = sha256(body);
  return { text: `${body.slice(0, -1)},"hash":"${hash}"}`, hash };
}

export function formatSummaryLine(count: number, finalHash: string): string {
  return JSON.stringify({ summary: true, count, finalHash });
}

type Parsed = { prev: string; hash: string } | undefined;

/** An event line's links, when its text still gives the hash it declares. */
function parseEventLine(text: string): Parsed {
  const match = HASH_MEMBER.exec(text);
  if (!match) return undefined;
  const body = `${text.slice(0, match.index)}}`;
  try {
    const value = JSON.parse(text) as { prev?: unknown; summary?: unknown };
    if (typeof value.prev !== "string" || value.summary !== undefined) return undefined;
    return sha256(body) === match[1] ? { prev: value.prev, hash: match[1] } : undefined;
  } catch {
    return undefined;
  }
}

function parseSummary(text: string): { count: number; finalHash: string } | undefined {
  try {
    const value = JSON.parse(text) as { summary?: unknown; count?: unknown; finalHash?: unknown };
    if (value.summary !== true || typeof value.count !== "number" || typeof value.finalHash !== "string") return undefined;
    return { count: value.count, finalHash: value.finalHash };
  } catch {
    return undefined;
  }
}

export type AuditFileVerdict = { ok: true; count: number; finalHash: string } | { ok: false; line: number; problem: string };

/** Checks an exported trail; on a break, names the first line changed, removed, inserted or reordered. */
export function verifyAuditFile(text: string): AuditFileVerdict {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const last = lines.length;
  const summary = last > 0 ? parseSummary(lines[last - 1]!) : undefined;
  if (!summary) {
    const cut = last > 0 && parseEventLine(lines[last - 1]!) !== undefined;
    return cut
      ? { ok: false, line: last + 1, problem: "the summary line is missing: the file was cut short" }
      : { ok: false, line: Math.max(last, 1), problem: "the summary line was changed or removed" };
  }
  const events: Array<{ prev: string; hash: string }> = [];
  for (let index = 0; index < last - 1; index++) {
    const parsed = parseEventLine(lines[index]!);
    if (!parsed) return { ok: false, line: index + 1, problem: "this line was changed (its hash no longer matches its text)" };
    events.push(parsed);
  }
  const lineOf = new Map(events.map((event, index) => [event.hash, index]));
  let expected = GENESIS_HASH;
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    if (event.prev === expected) {
      expected = event.hash;
      continue;
    }
    const line = index + 1;
    const follows = lineOf.get(event.prev);
    if (follows !== undefined && follows > index)
      return { ok: false, line, problem: `this line is out of order: it follows line ${follows + 1}` };
    if (events.slice(index + 1).some((later) => later.prev === expected))
      return { ok: false, line, problem: "this line was inserted: it does not follow the line before, and a later line does" };
    if (follows !== undefined && follows < index - 1)
      return { ok: false, line: index, problem: `this line was inserted: line ${line} follows line ${follows + 1}` };
    return { ok: false, line, problem: `a line was removed before line ${line}: it follows no line of this file` };
  }
  if (summary.finalHash !== expected || summary.count !== events.length)
    return {
      ok: false,
      line: last,
      problem: `the summary does not match the lines before it (${events.length} line(s)): lines at the end were removed, or the summary was changed`,
    };
  return { ok: true, count: events.length, finalHash: expected };
}
