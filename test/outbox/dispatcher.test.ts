import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Audience, owedForMove } from "../../src/chat/owed.js";
import type { MessageView } from "../../src/chat/views.js";
import { fixedClock } from "../../src/core/clock.js";
import type { Actor } from "../../src/core/model.js";
import type { OwedMessage } from "../../src/core/ports.js";
import { moveRequest } from "../../src/core/requests/move-request.js";
import { openDatabase } from "../../src/db/client.js";
import { createPrismaRepositories } from "../../src/db/repositories/index.js";
import { createLogger } from "../../src/logger.js";
import { createDispatcher } from "../../src/outbox/dispatcher.js";
import { serviceSettings } from "../../src/reminders/holidays.js";
import { actorWith, fileOwing, owedNotices, TEST_NOW } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { platformError, RecordingChannel } from "../helpers/reminders.js";

const TRIAGE = "C0TRIAGE";
const audience: Audience = { platforms: ["slack"], triageChannels: new Map([["slack", TRIAGE]]), timeZone: "America/New_York" };

describe.each(DATABASE_KINDS)("the outbox dispatcher on $name", (kind) => {
  let db: TestDatabase;
  let clock: ReturnType<typeof fixedClock>;
  let channel: RecordingChannel;
  let core: ReturnType<typeof createPrismaRepositories> & { clock: typeof clock; timeZone: string } & ReturnType<typeof serviceSettings>;
  let requester: Actor;
  let faculty: Actor;

  beforeEach(async () => {
    db = await kind.create();
    clock = fixedClock(TEST_NOW);
    channel = new RecordingChannel(() => clock.now().getTime());
    core = { ...createPrismaRepositories(db.database), clock, timeZone: "America/New_York", ...serviceSettings() };
    requester = await actorWith(core, "slack:UREQ", "Jordan Lee");
    faculty = await actorWith(core, "slack:UFAC", "Dana Ruiz", [{ role: "faculty" }]);
  });
  afterEach(() => db.dispose());

  const dispatcherDeps = (worker: string, deps = core, target = channel) => ({
    core: deps,
    channels: [target],
    sleep: async (ms: number) => clock.advance(ms),
    timeZone: "America/New_York",
    log: createLogger("silent"),
    worker,
  });
  const dispatcher = (worker: string, deps = core, target = channel) => createDispatcher(dispatcherDeps(worker, deps, target));

  const newRequest = () => fileOwing(core, requester, audience);

  const ask = (requestId: string, version: number, question: string) =>
    moveRequest(core, {
      actor: faculty,
      requestId,
      expectedVersion: version,
      move: { kind: "askInfo", question },
      owe: (request, summary, notify) => owedForMove(audience, request, summary, notify),
    });

  const statusOfCard = (view: MessageView) => JSON.stringify(view.blocks).match(/❓ Needs info|🆕 Submitted/)?.[0];

  it("writes a request and the messages it owes together: a failed change owes nothing", async () => {
    const request = await newRequest();
    const rows = await db.database.prisma.outbox.findMany({ orderBy: { kind: "asc" } });
    expect(rows.map((row) => [row.kind, row.conversationId])).toEqual([
      ["requester-card", "@slack:UREQ"],
      ["triage-card", TRIAGE],
    ]);
    // A stale move (version 9) changes nothing and owes nothing.
    await expect(ask(request.id, 9, "Which LOR?")).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db.database.prisma.outbox.count()).toBe(2);
  });

  it("supersedes a pending older redraw: only the newest version is drawn", async () => {
    const request = await newRequest();
    await dispatcher("A").drain();
    await ask(request.id, 1, "First question?");
    const answered = await moveRequest(core, {
      actor: requester,
      requestId: request.id,
      expectedVersion: 2,
      move: { kind: "answer", answer: "Here" },
      owe: (moved, summary, notify) => owedForMove(audience, moved, summary, notify),
    });
    expect(answered.request.version).toBe(3);
    await dispatcher("A").drain();
    expect(channel.updates).toHaveLength(1);
    expect(statusOfCard(channel.updates[0]!.view)).toBe("🆕 Submitted");
    const redraws = await db.database.prisma.outbox.findMany({ where: { kind: "card-redraw" }, orderBy: { version: "asc" } });
    expect(redraws.map((row) => [row.version, row.status])).toEqual([
      [2, "CANCELLED"],
      [3, "SENT"],
    ]);
  });

  it("never leaves a late older redraw on a newer card", async () => {
    const request = await newRequest();
    await dispatcher("A").drain();
    await ask(request.id, 1, "Which LOR?");
    // Worker A starts drawing version 2 and stalls inside the platform call.
    let release: () => void = () => {};
    const stalled = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = new RecordingChannel(() => clock.now().getTime());
    const original = slow.updateCard.bind(slow);
    slow.updateCard = async (ref, view) => {
      await stalled;
      await original(ref, view);
      channel.updates.push(slow.updates.at(-1)!);
    };
    const late = dispatcher("A", core, slow).drain();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Meanwhile the requester answers (version 3) and worker B draws it first.
    await moveRequest(core, {
      actor: requester,
      requestId: request.id,
      expectedVersion: 2,
      move: { kind: "answer", answer: "Version 2" },
      owe: (moved, summary, notify) => owedForMove(audience, moved, summary, notify),
    });
    await dispatcher("B").drain();
    expect(statusOfCard(channel.updates.at(-1)!.view)).toBe("🆕 Submitted");
    release();
    await late;
    // A's version 2 landed after B's version 3; the card was owed version 3 again and got it.
    expect(channel.updates.map((update) => statusOfCard(update.view))).toEqual(["🆕 Submitted", "❓ Needs info", "🆕 Submitted"]);
    await dispatcher("B").drain();
    expect(channel.updates).toHaveLength(3);
    expect((await db.database.prisma.triageCard.findFirstOrThrow()).drawnVersion).toBe(3);
  });

  it("does not let one message that cannot be prepared hold up the others", async () => {
    const notice = (key: string, body: string): OwedMessage => ({
      kind: "notice",
      platform: "slack",
      conversationId: `@slack:U${key}`,
      subjectKey: "request:x",
      version: 1,
      body,
      dedupeKey: key,
    });
    await core.outbox.enqueue([notice("BROKEN", "{not json"), notice("FINE", JSON.stringify({ text: "fine", blocks: [] }))], clock.now());
    expect(await dispatcher("A").drain()).toMatchObject({ sent: 1, retried: 1 });
    expect(channel.sent.map((message) => message.text)).toEqual(["fine"]);
    const broken = await db.database.prisma.outbox.findFirstOrThrow({ where: { dedupeKey: "BROKEN" } });
    expect([broken.status, broken.claimedBy]).toEqual(["PENDING", null]);
  });

  it("stops between messages on shutdown and hands back what it had claimed", async () => {
    const owed: OwedMessage[] = Array.from({ length: 3 }, (_, index) => ({
      kind: "notice",
      platform: "slack",
      conversationId: "@slack:UONE",
      subjectKey: "request:x",
      version: 1,
      body: JSON.stringify({ text: `message ${index}`, blocks: [] }),
      dedupeKey: `stop:${index}`,
    }));
    await core.outbox.enqueue(owed, clock.now());
    // Pacing one conversation waits a second between messages: shutdown arrives during the wait.
    let stopping: Promise<void> | undefined;
    const paced = createDispatcher({
      core,
      channels: [channel],
      sleep: async () => {
        stopping ??= paced.stop();
      },
      timeZone: "America/New_York",
      log: createLogger("silent"),
      worker: "S",
    });
    const result = await paced.drain();
    await stopping;
    expect(result.sent).toBe(2);
    const rows = await db.database.prisma.outbox.findMany({ where: { status: "PENDING" } });
    expect(rows.map((row) => row.claimedBy)).toEqual([null]);
    expect(rows[0]!.nextAttemptAt.getTime()).toBeLessThanOrEqual(clock.now().getTime());
  });

  const notices = owedNotices;

  it("does not send a row whose claim ran out while it waited and another process took", async () => {
    // Two messages to one person: pacing waits a second between them, and during that wait
    // A's lease runs out and B takes the second message and sends it.
    await core.outbox.enqueue(notices(2, "@slack:UONE"), clock.now());
    const lease = { leaseMs: 5_000, sendTimeoutMs: 2_000 };
    const other = createDispatcher({ ...dispatcherDeps("B"), ...lease });
    let taken: Promise<unknown> | undefined;
    const first = createDispatcher({
      ...dispatcherDeps("A"),
      ...lease,
      sleep: async () => {
        clock.advance(lease.leaseMs + 1_000);
        taken ??= other.drain();
        await taken;
      },
    });
    const result = await first.drain();
    expect(await taken).toMatchObject({ sent: 1 });
    expect(result).toMatchObject({ sent: 1, retried: 0, failed: 0 });
    expect(channel.sent.map((message) => message.text)).toEqual(["message 0", "message 1"]);
    expect(await db.database.prisma.outbox.count({ where: { status: "SENT" } })).toBe(2);
  });

  it("records where a card landed with the mark that it was sent, and not at all once the claim was lost", async () => {
    const request = await newRequest();
    // A's claim passes to B between A's post and its mark (a lease that ran out meanwhile).
    const result = await createDispatcher({
      ...dispatcherDeps("A"),
      afterSend: async (row) => {
        if (row.kind === "triage-card") await db.database.prisma.outbox.update({ where: { id: row.id }, data: { claimedBy: "B" } });
      },
    }).drain();
    // The requester's notice counts; the card does not.
    expect(result.sent).toBe(1);
    expect(channel.sent.filter((message) => message.conversationId === TRIAGE)).toHaveLength(1);
    expect(await db.database.prisma.triageCard.count()).toBe(0);
    // B, which holds the row now, marks and records it.
    await db.database.prisma.outbox.updateMany({ where: { status: "PENDING" }, data: { claimedBy: null, claimedUntil: null } });
    expect(await dispatcher("B").drain()).toMatchObject({ sent: 1 });
    const card = await db.database.prisma.triageCard.findUniqueOrThrow({
      where: { requestId_platform: { requestId: request.id, platform: "slack" } },
    });
    // B's post (the channel's latest), not A's.
    expect([card.messageId, card.drawnVersion]).toEqual([String(channel.sent.length), 1]);
    expect(await db.database.prisma.outbox.count({ where: { status: "SENT" } })).toBe(2);
  });

  it("checks its claim with a read while most of the lease is left, and renews it before a send once half is gone", async () => {
    // Three messages to one person, paced 3 s apart on a 10 s lease with a 2 s send timeout:
    // a read answers while more than 6 s are left (7 s at the second), the third has 4 s.
    await core.outbox.enqueue(notices(3, "@slack:UONE"), clock.now());
    let renewals = 0;
    const counting = {
      ...core,
      outbox: {
        ...core.outbox,
        renewClaims: async (...args: Parameters<typeof core.outbox.renewClaims>) => {
          renewals++;
          return core.outbox.renewClaims(...args);
        },
      },
    };
    const result = await createDispatcher({
      ...dispatcherDeps("A", counting),
      leaseMs: 10_000,
      sendTimeoutMs: 2_000,
      sleep: async () => clock.advance(3_000),
    }).drain();
    expect([result.sent, renewals]).toEqual([3, 1]);
    expect(channel.sent.map((message) => message.text)).toEqual(["message 0", "message 1", "message 2"]);
  });

  it("claims no more rows than it can send within one lease at the send timeout", async () => {
    await core.outbox.enqueue(notices(5), clock.now());
    let claimedAtOnce = 0;
    const counting = {
      ...core,
      outbox: {
        ...core.outbox,
        claimDue: async (...args: Parameters<typeof core.outbox.claimDue>) => {
          const rows = await core.outbox.claimDue(...args);
          claimedAtOnce = Math.max(claimedAtOnce, rows.length);
          return rows;
        },
      },
    };
    const result = await createDispatcher({ ...dispatcherDeps("A", counting), leaseMs: 9_000, sendTimeoutMs: 3_000 }).drain();
    expect([result.sent, claimedAtOnce]).toEqual([5, 3]);
  });

  it("claims, backs off and gives up on the real clock, not on a simulated one (remind --now)", async () => {
    const real = clock.now();
    // A live bot holds one message, another is in backoff, and a third is due.
    await core.outbox.enqueue(notices(3), real);
    const rows = await db.database.prisma.outbox.findMany({ orderBy: { dedupeKey: "asc" } });
    await db.database.prisma.outbox.update({
      where: { id: rows[0]!.id },
      data: { claimedBy: "live", claimedUntil: new Date(real.getTime() + 60_000) },
    });
    await db.database.prisma.outbox.update({ where: { id: rows[1]!.id }, data: { nextAttemptAt: new Date(real.getTime() + 30_000) } });
    channel.failures.push(platformError("service_unavailable"));
    // The pass plans as of 26 hours later; its dispatcher keeps the real clock.
    const simulated = { ...core, clock: fixedClock(new Date(real.getTime() + 26 * 3_600_000)) };
    const result = await createDispatcher({ ...dispatcherDeps("cli", simulated), clock }).drain();
    expect(result).toMatchObject({ sent: 0, retried: 1, failed: 0 });
    const after = await db.database.prisma.outbox.findMany({ orderBy: { dedupeKey: "asc" } });
    expect(after.map((row) => [row.status, row.claimedBy, row.attempts])).toEqual([
      ["PENDING", "live", 0],
      ["PENDING", null, 0],
      ["PENDING", null, 1],
    ]);
    // The retry is planned on the real clock: seconds away, not a day.
    expect(after[2]!.nextAttemptAt.getTime() - real.getTime()).toBeLessThan(60_000);
  });

  it("sends each message once when two processes dispatch one outbox", async () => {
    const owed: OwedMessage[] = Array.from({ length: 60 }, (_, index) => ({
      kind: "notice",
      platform: "slack",
      conversationId: `@slack:U${index % 6}`,
      subjectKey: "request:x",
      version: 1,
      body: JSON.stringify({ text: `message ${index}`, blocks: [] }),
      dedupeKey: `test:${index}`,
    }));
    await core.outbox.enqueue(owed, clock.now());
    // A second connection pool to the same database: the other process.
    const other = await openDatabase(db.database.target);
    try {
      const otherCore = { ...createPrismaRepositories(other), clock, timeZone: "America/New_York", ...serviceSettings() };
      const [a, b] = await Promise.all([dispatcher("A").drain(), dispatcher("B", otherCore).drain()]);
      expect(a.sent + b.sent).toBe(60);
      const texts = channel.sent.map((message) => message.text).sort();
      expect(new Set(texts).size).toBe(60);
      expect(texts).toHaveLength(60);
    } finally {
      await other.close();
    }
  });
});
