import type { CoreDeps } from "../core/deps.js";
import type { MaRequest } from "../core/model.js";
import type { OutboxRow } from "../core/ports.js";
import { INTERNAL_ACTIONS } from "../core/requests/add-note.js";
import { idOf } from "./prepare.js";

/** Prefetched records are trusted this long; sends paced after that read afresh. */
export const PREFETCH_FRESH_MS = 5_000;

const subscriptionKey = (platform: string, conversationId: string, type: string, id: string) =>
  `${platform}\n${conversationId}\n${type}\n${id}`;

/**
 * The core as one claimed batch sees it: what its rows are drawn from (requests, milestones,
 * subscriptions, people) is read with one query per kind before the batch, not several per
 * row. A record not prefetched, or read too long ago, is read as before.
 */
export async function prefetchedFor(core: CoreDeps, rows: readonly OutboxRow[], written?: WrittenRequests): Promise<CoreDeps> {
  return prefetchedRequests(await prefetchedMilestones(core, rows), rows, written);
}

/**
 * New requests as their transaction wrote them, by id, with when (the clock's milliseconds):
 * the messages handed over with them are drawn from these instead of a read back, while fresh.
 */
export type WrittenRequests = ReadonlyMap<string, { request: MaRequest; at: number }>;

/** Kinds drawn from their request as it is now: read once for the whole batch. */
const FROM_REQUEST = new Set<OutboxRow["kind"]>(["triage-card", "card-redraw", "requester-redraw"]);
/** Kinds drawn for faculty: they also show the internal notes and the related cases not on file. */
const FOR_FACULTY = new Set<OutboxRow["kind"]>(["triage-card", "card-redraw"]);

/**
 * The batch's requests, the faculty cards' internal notes and which of their related cases are
 * on file, each read once for the batch (three reads in all, not three per card).
 */
async function prefetchedRequests(core: CoreDeps, rows: readonly OutboxRow[], written?: WrittenRequests): Promise<CoreDeps> {
  const owed = rows.filter((row) => FROM_REQUEST.has(row.kind) && row.subjectKey.startsWith("request:"));
  if (owed.length === 0) return core;
  const now = () => core.clock.now().getTime();
  let readAt = now();
  const ids = [...new Set(owed.map((row) => idOf(row.subjectKey)))];
  // A request its own transaction just wrote is what a read now would find, read when it was
  // written: no internal notes yet (they are added to a stored request).
  const justWritten = ids.flatMap((id) => {
    const write = written?.get(id);
    return write && readAt - write.at < PREFETCH_FRESH_MS ? [write] : [];
  });
  for (const write of justWritten) readAt = Math.min(readAt, write.at);
  const fresh = () => now() - readAt < PREFETCH_FRESH_MS;
  const requests = new Map(justWritten.map((write) => [write.request.id, write.request]));
  const unread = ids.filter((id) => !requests.has(id));
  for (const request of unread.length > 0 ? await core.requests.findByIds(unread) : []) requests.set(request.id, request);
  const faculty = [...new Set(owed.filter((row) => FOR_FACULTY.has(row.kind)).map((row) => idOf(row.subjectKey)))].filter((id) =>
    requests.has(id),
  );
  const noted = faculty.filter((id) => !justWritten.some((write) => write.request.id === id));
  const notes = noted.length > 0 || justWritten.length === 0 ? await core.requests.eventsOf(noted, INTERNAL_ACTIONS) : new Map();
  const related = [...new Set(faculty.flatMap((id) => requests.get(id)!.form.relatedCases))];
  const onFile = await core.cases.onFile(related);
  const known = new Set(related);
  return {
    ...core,
    requests: {
      ...core.requests,
      findById: async (id) => (fresh() && requests.get(id)) || core.requests.findById(id),
      eventsOf: async (ids, actions) =>
        fresh() && actions === INTERNAL_ACTIONS && ids.every((id) => faculty.includes(id))
          ? new Map(ids.flatMap((id) => (notes.has(id) ? [[id, notes.get(id)!] as const] : [])))
          : core.requests.eventsOf(ids, actions),
    },
    cases: {
      ...core.cases,
      onFile: async (ids) =>
        fresh() && ids.every((id) => known.has(id)) ? new Set(ids.filter((id) => onFile.has(id))) : core.cases.onFile(ids),
    },
  };
}

/** The batch's reminders of milestones: their milestones, subscriptions and subscribers. */
async function prefetchedMilestones(core: CoreDeps, rows: readonly OutboxRow[]): Promise<CoreDeps> {
  const now = () => core.clock.now().getTime();
  const reminders = rows.filter((row) => row.kind === "reminder" && row.subjectKey.startsWith("milestone:"));
  if (reminders.length === 0) return core;
  const readAt = now();
  const fresh = () => now() - readAt < PREFETCH_FRESH_MS;
  const milestones = new Map(
    (await core.cases.findMilestones([...new Set(reminders.map((row) => idOf(row.subjectKey)))])).map((found) => [
      found.milestone.id,
      found,
    ]),
  );
  const caseIds = [...new Set([...milestones.values()].map((found) => found.caseRecord.id))];
  const subscriptions = new Map(
    (await core.subscriptions.listForTargets("case", caseIds)).map((item) => [
      subscriptionKey(item.platform, item.conversationId, item.target.type, item.target.id),
      item,
    ]),
  );
  const subscriberIds = [...new Set([...subscriptions.values()].map((item) => item.createdById))];
  const people = new Map((await core.people.findPeople(subscriberIds)).map((found) => [found.person.id, found]));
  return {
    ...core,
    cases: {
      ...core.cases,
      findMilestone: async (id) => (fresh() && milestones.get(id)) || core.cases.findMilestone(id),
    },
    subscriptions: {
      ...core.subscriptions,
      find: async (input) =>
        (fresh() && subscriptions.get(subscriptionKey(input.platform, input.conversationId, input.target.type, input.target.id))) ||
        core.subscriptions.find(input),
    },
    people: { ...core.people, findPerson: async (id) => (fresh() && people.get(id)) || core.people.findPerson(id) },
  };
}
