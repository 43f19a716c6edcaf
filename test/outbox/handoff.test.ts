import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Audience, owedForNewRequest } from "../../src/chat/owed.js";
import type { MessageView } from "../../src/chat/views.js";
import { fixedClock } from "../../src/core/clock.js";
import type { Actor, MaRequest } from "../../src/core/model.js";
import type { OutboxRow } from "../../src/core/ports.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import { openDatabase } from "../../src/db/client.js";
import { createPrismaRepositories } from "../../src/db/repositories/index.js";
import { owedRows } from "../../src/db/repositories/outbox-handoff.js";
import { createLogger } from "../../src/logger.js";
import { createDispatcher, type Dispatcher } from "../../src/outbox/dispatcher.js";
import { serviceSettings } from "../../src/reminders/holidays.js";
import { actorWith, fileOwing, owedNotices, TEST_NOW, validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { RecordingChannel } from "../helpers/reminders.js";
import { deferred, waitUntil } from "../helpers/wait.js";

const TRIAGE = "C0TRIAGE";
const audience: Audience = { platforms: ["slack"], triageChannels: new Map([["slack", TRIAGE]]), timeZone: "America/New_York" };
/** Long enough that no test here sees a tick: what is sent, is sent without one. */
const NO_TICK_MS = 3_600_000;

/** A channel whose sends wait until `open()`: what was stored can be looked at meanwhile. */
class GatedChannel extends RecordingChannel {
  private gate = deferred();
  private sending = deferred();
  /** Resolves once a send is waiting at the gate. */
  readonly waiting = this.sending.promise;
  open() {
    this.gate.resolve();
  }
  private async pass() {
    this.sending.resolve();
    await this.gate.promise;
  }
  override async postCard(conversationId: string, view: MessageView): Promise<string> {
    await this.pass();
    return super.postCard(conversationId, view);
  }
  override async sendDirect(identityKey: string, view: MessageView): Promise<undefined> {
    await this.pass();
    return super.sendDirect(identityKey, view);
  }
}

describe.each(DATABASE_KINDS)("rows a change owes, handed to the sender in its process, on $name", (kind) => {
  let db: TestDatabase;
  let clock: ReturnType<typeof fixedClock>;
  let core: ReturnType<typeof createPrismaRepositories> & { clock: typeof clock; timeZone: string } & ReturnType<typeof serviceSettings>;
  let requester: Actor;
  const started: Dispatcher[] = [];
  const gated: GatedChannel[] = [];
  let claims = 0;

  beforeEach(async () => {
    db = await kind.create();
    clock = fixedClock(TEST_NOW);
    core = { ...createPrismaRepositories(db.database), clock, timeZone: "America/New_York", ...serviceSettings() };
    requester = await actorWith(core, "slack:UREQ", "Jordan Lee");
    claims = 0;
  });
  afterEach(async () => {
    for (const channel of gated.splice(0)) channel.open();
    for (const dispatcher of started.splice(0)) await dispatcher.stop();
    await db.dispose();
  });

  /** A dispatcher over `deps`, its claims counted. */
  const dispatcher = (worker: string, channel: RecordingChannel, deps = core) =>
    createDispatcher({
      core: {
        ...deps,
        outbox: {
          ...deps.outbox,
          claimDue: (...args: Parameters<typeof deps.outbox.claimDue>) => {
            claims++;
            return deps.outbox.claimDue(...args);
          },
        },
      },
      channels: [channel],
      sleep: async (ms: number) => clock.advance(ms),
      timeZone: "America/New_York",
      log: createLogger("silent"),
      worker,
    });
  /** As `serve` runs it: started (its first drain over), ticking only once an hour. */
  const running = async (worker: string, channel: RecordingChannel) => {
    if (channel instanceof GatedChannel) gated.push(channel);
    const sender = dispatcher(worker, channel);
    started.push(sender);
    sender.start(NO_TICK_MS);
    await sender.drain();
    return sender;
  };

  const newRequest = () => fileOwing(core, requester, audience);
  const notices = owedNotices;
  const rows = () => db.database.prisma.outbox.findMany({ orderBy: { kind: "asc" } });
  /** Until no row is pending (bounded: a row left pending fails the test). */
  const settled = async () => {
    for (let attempt = 0; attempt < 400; attempt++) {
      if ((await db.database.prisma.outbox.count({ where: { status: "PENDING" } })) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("rows still pending");
  };

  it("stores a new request's messages claimed for the running sender, which sends them without a claim or a tick", async () => {
    const channel = new GatedChannel(() => clock.now().getTime());
    const sender = await running("A", channel);
    const claimsBefore = claims;
    const request = await newRequest();
    // As the chat layer does after every change: nothing stored unclaimed, so nothing to claim.
    sender.wake();
    await channel.waiting;
    const until = clock.now().getTime() + 90_000;
    expect((await rows()).map((row) => [row.kind, row.status, row.claimedBy, row.claimedUntil?.getTime()])).toEqual([
      ["requester-card", "PENDING", "A", until],
      ["triage-card", "PENDING", "A", until],
    ]);
    channel.open();
    await waitUntil(
      () => (channel.sent.length === 2 ? true : undefined),
      () => `sent ${channel.sent.length} of 2`,
    );
    await settled();
    expect((await rows()).map((row) => [row.status, row.claimedBy])).toEqual([
      ["SENT", null],
      ["SENT", null],
    ]);
    expect(channel.sent.map((message) => message.conversationId).sort()).toEqual(["@slack:UREQ", TRIAGE]);
    expect(channel.sent.some((message) => message.text.includes(request.number))).toBe(true);
    expect(claims).toBe(claimsBefore);
  });

  it("hands the sender each row as it is stored, every column written by the insert rather than left to a default", async () => {
    const handed: OutboxRow[] = [];
    core.outbox.handTo({
      worker: "A",
      lease: () => new Date(clock.now().getTime() + 90_000),
      take: (rows) => handed.push(...rows),
      owed: () => {},
    });
    await newRequest();
    expect(handed).toHaveLength(2);
    // As read back, but for the key it was owed under (not a column the sender reads).
    for (const row of handed) expect({ ...row, dedupeKey: undefined }).toEqual(await core.outbox.find(row.id));
    // Only the claim and the send are left out: a default the insert relied on would be a
    // second copy of the schema's (and on SQLite a DateTime default is stored in another format).
    const stored = Object.keys(await db.database.prisma.outbox.findFirstOrThrow());
    const written = Object.keys(owedRows(notices(1), clock.now())[0]!);
    expect(written.sort()).toEqual(stored.filter((column) => !["claimedBy", "claimedUntil", "sentAt"].includes(column)).sort());
  });

  it("hands a new request over as a read would find it, and its triage card is drawn without reading it back", async () => {
    const subjects: MaRequest[] = [];
    core.outbox.handTo({
      worker: "A",
      lease: () => new Date(clock.now().getTime() + 10_000),
      take: (_rows, _until, subject) => void (subject && subjects.push(subject)),
      owed: () => {},
    });
    // A first-time requester (stored with the request), with case links, and one known before.
    const { actor, unsaved } = await core.people.resolveRequester({ key: "slack:UNEW", displayName: "Pat New", timeZone: "Europe/Berlin" });
    const raw = validForm({ relatedCases: "bn-b-sab, bn-b-saa", effortTypes: "IAC, FMS" });
    const first = await submitRequest(core, {
      actor,
      raw,
      platform: "slack",
      owe: (r) => owedForNewRequest(audience, r),
      newRequester: unsaved,
    });
    await newRequest();
    expect(first.ok).toBe(true);
    expect(subjects).toHaveLength(2);
    // Equal but for keys a read sets to undefined.
    for (const subject of subjects) expect(subject).toEqual(await core.requests.findById(subject.id));
    core.outbox.handTo(undefined);

    const channel = new RecordingChannel(() => clock.now().getTime());
    let reads = 0;
    const counted = {
      ...core,
      requests: {
        ...core.requests,
        findByIds: (ids: readonly string[]) => {
          reads++;
          return core.requests.findByIds(ids);
        },
      },
    };
    const sender = dispatcher("B", channel, counted);
    started.push(sender);
    sender.start(NO_TICK_MS);
    await sender.drain();
    const request = await newRequest();
    await waitUntil(
      () => (channel.sent.length === 2 ? true : undefined),
      () => `sent ${channel.sent.length} of 2`,
    );
    expect(reads).toBe(0);
    const card = channel.sent.find((message) => message.conversationId === TRIAGE);
    expect(card?.text).toContain(request.number);
  });

  it("leaves rows stored claimed for a sender that died before sending them to the next claim once their lease ends", async () => {
    // A sender that takes the rows and dies: they stay claimed for it until their lease ends.
    core.outbox.handTo({ worker: "dead", lease: () => new Date(clock.now().getTime() + 10_000), take: () => {}, owed: () => {} });
    await newRequest();
    expect((await rows()).map((row) => row.claimedBy)).toEqual(["dead", "dead"]);
    const channel = new RecordingChannel(() => clock.now().getTime());
    const next = dispatcher("B", channel);
    expect((await next.drain()).sent).toBe(0);
    clock.advance(10_001);
    expect((await next.drain()).sent).toBe(2);
    expect((await rows()).map((row) => row.status)).toEqual(["SENT", "SENT"]);
    expect(channel.sent).toHaveLength(2);
  });

  it("never lets another process send what it stored claimed for its own sender", async () => {
    const channel = new GatedChannel(() => clock.now().getTime());
    await running("A", channel);
    const other = await openDatabase(db.database.target);
    try {
      const otherCore = { ...createPrismaRepositories(other), clock, timeZone: "America/New_York", ...serviceSettings() };
      const otherChannel = new RecordingChannel(() => clock.now().getTime());
      // A's first send waits: the rows it was handed meanwhile are claimed for it, and the
      // rows past what it holds for one batch are stored unclaimed, for any process.
      await newRequest();
      await channel.waiting;
      for (let index = 0; index < 3; index++) await newRequest();
      const heldByA = (await rows()).filter((row) => row.claimedBy === "A").length;
      expect(heldByA).toBeGreaterThan(2);
      expect(heldByA).toBeLessThan(8);
      const b = await dispatcher("B", otherChannel, otherCore).drain();
      expect(b.sent).toBe(8 - heldByA);
      channel.open();
      await settled();
      const texts = [...channel.sent, ...otherChannel.sent].map((message) => `${message.conversationId} ${message.text}`);
      expect(texts).toHaveLength(8);
      expect(new Set(texts).size).toBe(8);
      expect(channel.sent).toHaveLength(heldByA);
    } finally {
      await other.close();
    }
  });

  it("claims once more before a drain ends when rows were stored unclaimed during it, without a wake", async () => {
    const channel = new GatedChannel(() => clock.now().getTime());
    await running("A", channel);
    await newRequest();
    await channel.waiting;
    // Stored while the handed rows are being sent; nothing wakes the sender.
    await core.outbox.enqueue(notices(1), clock.now());
    channel.open();
    await waitUntil(
      () => (channel.sent.length === 3 ? true : undefined),
      () => `sent ${channel.sent.length} of 3: the notice stored meanwhile waited for a tick`,
    );
  });

  it("ends a drain after a batch that was not full, without claiming again to find nothing", async () => {
    await core.outbox.enqueue(notices(2), clock.now());
    const result = await dispatcher("A", new RecordingChannel(() => clock.now().getTime())).drain();
    expect([result.sent, claims]).toEqual([2, 1]);
  });
});
