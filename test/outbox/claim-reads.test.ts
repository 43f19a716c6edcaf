import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import type { OwedMessage } from "../../src/core/ports.js";
import { createPrismaRepositories } from "../../src/db/repositories/index.js";
import { createLogger } from "../../src/logger.js";
import { createDispatcher } from "../../src/outbox/dispatcher.js";
import { serviceSettings } from "../../src/reminders/holidays.js";
import { TEST_NOW } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { RecordingChannel } from "../helpers/reminders.js";

/** The statements a drain spends on its claims: one claim per batch, one read per send after a batch's first. */
describe.each(DATABASE_KINDS)("the outbox dispatcher's claims on $name", (kind) => {
  let db: TestDatabase;
  let clock: ReturnType<typeof fixedClock>;
  let channel: RecordingChannel;
  let core: ReturnType<typeof createPrismaRepositories> & { clock: typeof clock; timeZone: string } & ReturnType<typeof serviceSettings>;
  let calls: { claims: number; reads: number; renewals: number };

  beforeEach(async () => {
    db = await kind.create();
    clock = fixedClock(TEST_NOW);
    channel = new RecordingChannel(() => clock.now().getTime());
    const repositories = createPrismaRepositories(db.database);
    calls = { claims: 0, reads: 0, renewals: 0 };
    const { outbox } = repositories;
    core = {
      ...repositories,
      outbox: {
        ...outbox,
        claimDue: (...args) => {
          calls.claims++;
          return outbox.claimDue(...args);
        },
        claimedUntil: (...args) => {
          calls.reads++;
          return outbox.claimedUntil(...args);
        },
        renewClaims: (...args) => {
          calls.renewals++;
          return outbox.renewClaims(...args);
        },
      },
      clock,
      timeZone: "America/New_York",
      ...serviceSettings(),
    };
  });
  afterEach(() => db.dispose());

  const dispatcher = (options: { leaseMs?: number; sendTimeoutMs?: number; sleepMs?: number } = {}) =>
    createDispatcher({
      core,
      channels: [channel],
      sleep: async () => clock.advance(options.sleepMs ?? 0),
      timeZone: "America/New_York",
      log: createLogger("silent"),
      worker: "A",
      leaseMs: options.leaseMs,
      sendTimeoutMs: options.sendTimeoutMs,
    });

  const notices = (count: number, conversationId: (index: number) => string): OwedMessage[] =>
    Array.from({ length: count }, (_, index) => ({
      kind: "notice",
      platform: "slack",
      conversationId: conversationId(index),
      subjectKey: "request:x",
      version: 1,
      body: JSON.stringify({ text: `message ${index}`, blocks: [] }),
      dedupeKey: `notice:${index}`,
    }));

  it("claims once when the batch was not full, and sends its first row on the claim without reading it again", async () => {
    // Two messages, a batch of three (90 s lease, 30 s send timeout): one claim takes both.
    await core.outbox.enqueue(
      notices(2, (index) => `@slack:U${index}`),
      clock.now(),
    );
    expect(await dispatcher().drain()).toMatchObject({ sent: 2 });
    expect(calls).toEqual({ claims: 1, reads: 1, renewals: 0 });
    expect(await db.database.prisma.outbox.count({ where: { status: "SENT" } })).toBe(2);
  });

  it("claims again after a full batch, until one comes back short", async () => {
    // Seven messages in batches of three: 3 + 3 + 1, the last one short, so no empty claim.
    await core.outbox.enqueue(
      notices(7, (index) => `@slack:U${index}`),
      clock.now(),
    );
    expect(await dispatcher().drain()).toMatchObject({ sent: 7 });
    expect(calls).toEqual({ claims: 3, reads: 4, renewals: 0 });
    // Three full batches: the third claim comes back empty and ends the drain.
    await core.outbox.enqueue(
      notices(6, (index) => `@slack:V${index}`).map((message) => ({ ...message, dedupeKey: `again:${message.dedupeKey}` })),
      clock.now(),
    );
    calls = { claims: 0, reads: 0, renewals: 0 };
    expect(await dispatcher().drain()).toMatchObject({ sent: 6 });
    expect(calls.claims).toBe(3);
  });

  it("renews a batch's first row before sending it when pacing waited past half the lease", async () => {
    // One person, two drains: the second drain's only row waits 5 s for pacing on a 10 s lease
    // with a 2 s send timeout (renewed below 6 s left), so the claim alone no longer answers.
    await core.outbox.enqueue(
      notices(1, () => "@slack:UONE"),
      clock.now(),
    );
    const paced = dispatcher({ leaseMs: 10_000, sendTimeoutMs: 2_000, sleepMs: 5_000 });
    expect(await paced.drain()).toMatchObject({ sent: 1 });
    expect(calls).toEqual({ claims: 1, reads: 0, renewals: 0 });
    await core.outbox.enqueue(
      notices(1, () => "@slack:UONE").map((message) => ({ ...message, dedupeKey: "second" })),
      clock.now(),
    );
    expect(await paced.drain()).toMatchObject({ sent: 1 });
    expect(calls).toEqual({ claims: 2, reads: 1, renewals: 1 });
    expect(channel.sent).toHaveLength(2);
  });
});
