import type { CoreDeps } from "../core/deps.js";
import type { OutboxRow } from "../core/ports.js";
import { idOf } from "./prepare.js";

/** Prefetched records are trusted this long; sends paced after that read afresh. */
export const PREFETCH_FRESH_MS = 5_000;

const subscriptionKey = (platform: string, conversationId: string, type: string, id: string) =>
  `${platform}\n${conversationId}\n${type}\n${id}`;

/**
 * The core as one claimed batch of reminders sees it: their milestones, the channels'
 * subscriptions and the subscribers are read with one query per kind before the batch,
 * not several per row. A record not prefetched, or read too long ago, is read as before.
 */
export async function prefetchedFor(core: CoreDeps, rows: readonly OutboxRow[]): Promise<CoreDeps> {
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
