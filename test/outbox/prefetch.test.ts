import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SEND_TIMEOUT_MS } from "../../src/outbox/policy.js";
import { PREFETCH_FRESH_MS } from "../../src/outbox/prefetch.js";
import { createSubscriber, DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { reminderHarness } from "../helpers/reminders.js";

const DUE = "2026-06-15";
const MILESTONES = 12;

describe.each(DATABASE_KINDS)("reminders prepared in batches on $name", (kind) => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await kind.create();
    const { prisma } = db.database;
    // One milestone in each of 12 cases, each case subscribed by a channel of its own and by C0ALL.
    const caseIds = Array.from({ length: MILESTONES }, (_, index) => `BN-D-Y${String.fromCharCode(65 + index)}A`);
    await prisma.case.createMany({
      data: caseIds.map((id) => ({ id, title: "ATC radar", status: "OFFERED", type: "FMS", category: "C" })),
    });
    await prisma.milestone.createMany({
      data: caseIds.map((caseId, index) => ({ id: `m${index}`, caseId, type: "OED", dueDate: DUE })),
    });
    await createSubscriber(prisma);
    await prisma.subscription.createMany({
      data: caseIds.flatMap((targetId, index) =>
        [`C0${index}`, "C0ALL"].map((conversationId) => ({
          platform: "slack",
          conversationId,
          targetType: "case",
          targetId,
          createdById: "x",
        })),
      ),
    });
  });
  afterEach(() => db.dispose());

  it("reads a batch's milestones, subscriptions and subscribers once, not once per reminder", async () => {
    const harness = reminderHarness(db, "2026-06-01T13:00:00Z");
    const reads = { milestone: 0, subscription: 0, person: 0 };
    const { cases, subscriptions, people } = harness.core;
    const count =
      <T extends unknown[], R>(name: keyof typeof reads, read: (...args: T) => Promise<R>) =>
      (...args: T) => {
        reads[name]++;
        return read(...args);
      };
    Object.assign(cases, { findMilestone: count("milestone", cases.findMilestone) });
    Object.assign(subscriptions, { find: count("subscription", subscriptions.find) });
    Object.assign(people, { findPerson: count("person", people.findPerson) });
    // A lease long enough for all 24 in one batch (the batch is as many as fit in a lease at the send timeout).
    await harness.makePass(undefined, { leaseMs: 25 * SEND_TIMEOUT_MS, sendTimeoutMs: SEND_TIMEOUT_MS })(harness.clock.now());
    const toOwnChannels = harness.channel.sent.filter((message) => message.conversationId !== "C0ALL");
    expect(toOwnChannels).toHaveLength(MILESTONES);
    // C0ALL's twelve are paced 1 s apart: those sent after PREFETCH_FRESH_MS read afresh.
    const late = MILESTONES - PREFETCH_FRESH_MS / 1000 - 1;
    expect(reads.milestone).toBeLessThanOrEqual(late);
    expect(reads.subscription).toBeLessThanOrEqual(late);
    expect(reads.person).toBeLessThanOrEqual(late);
    expect(reads.milestone).toBeGreaterThan(0);
  });

  it("reads afresh once the batch's reads are old: a milestone completed meanwhile is not reminded", async () => {
    const harness = reminderHarness(db, "2026-06-01T13:00:00Z");
    let completed = false;
    const pass = harness.makePass(async () => {
      if (completed) return;
      completed = true;
      await db.database.prisma.milestone.update({ where: { id: "m11" }, data: { completedDate: "2026-06-01" } });
    });
    await pass(harness.clock.now());
    const toAll = harness.channel.sent.filter((message) => message.conversationId === "C0ALL");
    expect(toAll).toHaveLength(MILESTONES - 1);
  });
});
