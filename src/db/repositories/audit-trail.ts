import { type ChainLink, type ChainProblem, checkStep, GENESIS_HASH, type StoredEvent } from "../../core/records/audit-chain.js";
import type { AuditLine } from "../../core/records/audit-file.js";
import type { AuditTrail } from "../../core/records/ports.js";
import { HEAD_ID, otherFields, requestFields } from "../audit-chain.js";
import type { Db } from "../client.js";
import { guard } from "./errors.js";
import { PERSON, toPersonRef } from "./request-rows.js";

/** Events read per query while exporting or walking the chain. */
const BATCH = 1_000;

/** The action of the tombstone `purge` leaves for a deleted request (a WorkbenchEvent). */
export const PURGE_ACTION = "purge";

/** What a purge tombstone's note holds: the request's dates, and the links of the events it deleted. */
export interface TombstoneNote {
  requestId: string;
  number: string;
  status: string;
  createdAt: string;
  closedAt: string;
  removed: ChainLink[];
}

type RequestRow = Awaited<ReturnType<Db["auditEvent"]["findMany"]>>[number];
type OtherRow = Awaited<ReturnType<Db["workbenchEvent"]["findMany"]>>[number];
type Row = { request: RequestRow } | { other: OtherRow };

const seqOf = (row: Row) => ("request" in row ? row.request.seq : row.other.seq) ?? 0;

/** The audit events with seq in (after, after + BATCH], in chain order. */
async function window(prisma: Db, after: number, at?: { gte?: Date; lte?: Date }): Promise<Row[]> {
  const where = { seq: { gt: after, lte: after + BATCH }, ...(at ? { at } : {}) };
  const [requests, others] = [await prisma.auditEvent.findMany({ where }), await prisma.workbenchEvent.findMany({ where })];
  return [...requests.map((request) => ({ request })), ...others.map((other) => ({ other }))].sort((a, b) => seqOf(a) - seqOf(b));
}

function stored(row: Row): StoredEvent {
  if ("request" in row) {
    const event = row.request;
    return { fields: requestFields(event, event.seq ?? 0, event.prevHash), hash: event.hash, label: `request event ${event.id}` };
  }
  const event = row.other;
  return { fields: otherFields(event, event.seq ?? 0, event.prevHash), hash: event.hash, label: `${event.action} event ${event.id}` };
}

export function createAuditTrail(prisma: Db): AuditTrail {
  const head = () => prisma.auditChain.findUniqueOrThrow({ where: { id: HEAD_ID } });

  async function* lines(range: { from?: Date; to?: Date }): AsyncGenerator<AuditLine[]> {
    const { seq: last } = await head();
    const at = range.from || range.to ? { ...(range.from ? { gte: range.from } : {}), ...(range.to ? { lte: range.to } : {}) } : undefined;
    const people = new Map<string, { id: string; displayName: string; identityKeys: string[] }>();
    for (let after = 0; after < last; after += BATCH) {
      const rows = await window(prisma, after, at);
      const actorIds = [...new Set(rows.map((row) => ("request" in row ? row.request.actorId : row.other.actorId)))].filter(
        (id) => !people.has(id),
      );
      for (const person of await prisma.person.findMany({ where: { id: { in: actorIds } }, ...PERSON }))
        people.set(person.id, toPersonRef(person));
      const requestIds = [...new Set(rows.flatMap((row) => ("request" in row ? [row.request.requestId] : [])))];
      const numbers = new Map(
        (await prisma.maRequest.findMany({ where: { id: { in: requestIds } }, select: { id: true, number: true } })).map((row) => [
          row.id,
          row.number,
        ]),
      );
      yield rows.map((row): AuditLine => {
        const event = "request" in row ? row.request : row.other;
        const person = people.get(event.actorId);
        const identities = person?.identityKeys ?? [];
        // Keys in the order a reader scans a line: when, who, what it was about, what happened.
        const about: Pick<AuditLine, "request" | "subject" | "before" | "after"> = {};
        if ("request" in row) {
          about.request = numbers.get(row.request.requestId) ?? row.request.requestId;
        } else if (row.other.action === PURGE_ACTION) about.request = row.other.subject;
        else about.subject = row.other.subject;
        const change: Pick<AuditLine, "before" | "after"> = {};
        if ("request" in row && row.request.fromStatus !== row.request.toStatus) {
          if (row.request.fromStatus) change.before = row.request.fromStatus;
          change.after = row.request.toStatus;
        }
        return {
          seq: event.seq ?? 0,
          time: event.at.toISOString(),
          actor: { id: event.actorId, name: person?.displayName ?? event.actorId, identities },
          ...about,
          action: event.action,
          ...change,
          note: event.note,
          platform: [...new Set(identities.map((key) => key.split(":")[0]))].join(","),
        };
      });
    }
  }

  return {
    lines,
    walk: (onProgress) =>
      guard(async () => {
        const top = await head();
        // The links purge kept for the events it deleted, from the tombstones (themselves in the chain).
        const kept = new Map<number, ChainLink>();
        for (const tombstone of await prisma.workbenchEvent.findMany({ where: { action: PURGE_ACTION } })) {
          const note = JSON.parse(tombstone.note) as TombstoneNote;
          for (const link of note.removed) kept.set(link.seq, link);
        }
        const unchained =
          (await prisma.auditEvent.count({ where: { OR: [{ seq: null }, { seq: { gt: top.seq } }] } })) +
          (await prisma.workbenchEvent.count({ where: { OR: [{ seq: null }, { seq: { gt: top.seq } }] } }));
        let expected = GENESIS_HASH;
        let count = 0;
        for (let after = 0; after < top.seq; after += BATCH) {
          const bySeq = new Map((await window(prisma, after)).map((row) => [seqOf(row), row]));
          for (let seq = after + 1; seq <= Math.min(after + BATCH, top.seq); seq++) {
            const row = bySeq.get(seq);
            const step: { next: string } | ChainProblem = checkStep(seq, expected, row ? stored(row) : undefined, kept.get(seq));
            if ("problem" in step) return { ok: false as const, problem: step.problem };
            expected = step.next;
            if (row) count++;
          }
          onProgress?.(Math.min(after + BATCH, top.seq), top.seq);
        }
        if (expected !== top.hash)
          return {
            ok: false as const,
            problem: `the chain head (event ${top.seq}) does not match the last event: the head or the last event was changed`,
          };
        if (unchained > 0)
          return { ok: false as const, problem: `${unchained} audit event(s) are not in the chain: inserted outside the bot` };
        return { ok: true as const, count, headHash: top.hash };
      }),
  };
}
