import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Audience, owedForNewRequest } from "../../src/chat/owed.js";
import { fixedClock } from "../../src/core/clock.js";
import type { Actor } from "../../src/core/model.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import { createPrismaRepositories } from "../../src/db/repositories/index.js";
import { createLogger } from "../../src/logger.js";
import { createDispatcher } from "../../src/outbox/dispatcher.js";
import { SEND_TIMEOUT_MS } from "../../src/outbox/policy.js";
import { serviceSettings } from "../../src/reminders/holidays.js";
import { actorWith, coreDeps, TEST_NOW, validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { RecordingChannel } from "../helpers/reminders.js";

const TRIAGE = "C0TRIAGE";
const audience: Audience = { platforms: ["slack"], triageChannels: new Map([["slack", TRIAGE]]), timeZone: "America/New_York" };
const REQUESTS = 4;

describe.each(DATABASE_KINDS)("owed cards prepared in batches on $name", (kind) => {
  let db: TestDatabase;
  let requesters: Actor[];
  const clock = fixedClock(TEST_NOW);

  beforeEach(async () => {
    db = await kind.create();
    // One case on file of the two each request names: the triage card lists the other as not on file.
    await db.database.prisma.case.create({ data: { id: "BN-B-SAA", title: "Radar", status: "OFFERED", type: "FMS", category: "C" } });
    const core = coreDeps(db.database);
    requesters = [];
    for (let index = 0; index < REQUESTS; index++) requesters.push(await actorWith(core, `slack:UREQ${index}`, `Requester ${index}`));
  });
  afterEach(() => db.dispose());

  it("reads the batch's requests, notes and cases on file once, and draws each card from them", async () => {
    const core = { ...createPrismaRepositories(db.database), clock, timeZone: "America/New_York", ...serviceSettings() };
    for (const actor of requesters) {
      const result = await submitRequest(core, {
        actor,
        raw: validForm({ relatedCases: ["BN-B-SAA", "BN-B-ZZZ"] }),
        platform: "slack",
        owe: (request) => owedForNewRequest(audience, request),
      });
      if (!result.ok) throw new Error("invalid form");
    }
    const reads = { request: 0, notes: 0, onFile: 0 };
    const { requests, cases } = core;
    const count =
      <T extends unknown[], R>(name: keyof typeof reads, read: (...args: T) => Promise<R>) =>
      (...args: T) => {
        reads[name]++;
        return read(...args);
      };
    Object.assign(requests, {
      findById: count("request", requests.findById),
      findByIds: count("request", requests.findByIds),
      eventsOf: count("notes", requests.eventsOf),
    });
    Object.assign(cases, { onFile: count("onFile", cases.onFile) });
    const channel = new RecordingChannel(() => clock.now().getTime());
    const dispatcher = createDispatcher({
      core,
      channels: [channel],
      sleep: async (ms: number) => clock.advance(ms),
      timeZone: "America/New_York",
      log: createLogger("silent"),
      // A lease long enough for all eight in one batch (a batch is what fits in a lease at the send timeout).
      leaseMs: 25 * SEND_TIMEOUT_MS,
      sendTimeoutMs: SEND_TIMEOUT_MS,
    });
    const result = await dispatcher.drain();
    expect(result.sent).toBe(2 * REQUESTS);
    const cards = channel.sent.filter((message) => message.conversationId === TRIAGE);
    expect(cards).toHaveLength(REQUESTS);
    for (const card of cards) expect(JSON.stringify(card.view)).toContain("BN-B-ZZZ");
    // Every card of the batch from one read of each kind (the batch holds all eight messages).
    expect(reads).toEqual({ request: 1, notes: 1, onFile: 1 });
    // Where each card landed is recorded, so later moves can redraw it.
    const recorded = await db.database.prisma.triageCard.findMany();
    expect(recorded).toHaveLength(REQUESTS);
    expect(recorded.every((row) => row.conversationId === TRIAGE && row.messageId !== "" && row.drawnVersion === 1)).toBe(true);
  });
});
