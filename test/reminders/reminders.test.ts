import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addDays } from "../../src/core/dates.js";
import { reminderOffsetToSend } from "../../src/core/reminders/policy.js";
import { CLAIM_LEASE_MS } from "../../src/outbox/policy.js";
import { reminderDay } from "../../src/reminders/working-day.js";
import { createSubscriber, DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { platformError, rateLimited, reminderHarness } from "../helpers/reminders.js";

const DUE = "2026-06-15";
/** 09:00 in New York on a day: after the 08:00 start of the working day. */
const at = (day: string, time = "13:00:00Z") => new Date(`${day}T${time}`);

describe("reminderOffsetToSend", () => {
  it("picks the latest reminder that came due in the window, or none", () => {
    const offsets = [14, 7, 1, 0, -1];
    expect(reminderOffsetToSend(DUE, offsets, "2026-05-31", "2026-06-01")).toBe(14);
    expect(reminderOffsetToSend(DUE, offsets, "2026-06-01", "2026-06-07")).toBeUndefined();
    expect(reminderOffsetToSend(DUE, offsets, "2026-05-20", "2026-06-14")).toBe(1);
    expect(reminderOffsetToSend(DUE, offsets, "2026-06-15", "2026-06-16")).toBe(-1);
  });

  it("starts the reminder day at 08:00 in the configured zone", () => {
    expect(reminderDay(new Date("2026-06-15T11:59:00Z"), "America/New_York")).toBe("2026-06-14");
    expect(reminderDay(new Date("2026-06-15T12:00:00Z"), "America/New_York")).toBe("2026-06-15");
  });
});

describe.each(DATABASE_KINDS)("reminder passes on $name", (kind) => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await kind.create();
    const { prisma } = db.database;
    await prisma.case.createMany({
      data: [
        { id: "BN-D-YAB", title: "ATC radar", partner: "Bandaria", programOffice: "AFLCMC", status: "OFFERED", type: "FMS", category: "C" },
        { id: "BN-B-ZZZ", title: "Closed", partner: "Bandaria", programOffice: "PM", status: "CLOSED", type: "FMS", category: "A" },
      ],
    });
    await prisma.milestone.createMany({
      data: [
        { id: "m-oed", caseId: "BN-D-YAB", type: "OED", dueDate: DUE, note: "Partner signature" },
        { id: "m-closed", caseId: "BN-B-ZZZ", type: "CASE_REVIEW", dueDate: DUE },
      ],
    });
    await createSubscriber(prisma);
    await prisma.subscription.createMany({
      data: [
        { platform: "slack", conversationId: "C0SUB", targetType: "case", targetId: "BN-D-YAB", createdById: "x" },
        { platform: "slack", conversationId: "C0SUB", targetType: "case", targetId: "BN-B-ZZZ", createdById: "x" },
      ],
    });
  });
  afterEach(() => db.dispose());

  it("sends each offset once, on its day, with what is due and how long is left", async () => {
    const harness = reminderHarness(db, at("2026-05-20").toISOString());
    const pass = harness.makePass();
    const expected = [
      ["2026-06-01", "in 14 days"],
      ["2026-06-08", "in 7 days"],
      ["2026-06-14", "tomorrow"],
      ["2026-06-15", "today"],
      ["2026-06-16", "1 day overdue"],
    ];
    for (const [day, left] of expected) {
      harness.clock.set(at(day!));
      await pass(harness.clock.now());
      await pass(harness.clock.now());
      expect(harness.channel.sent.at(-1)?.text).toContain(`due ${DUE}, ${left}`);
    }
    expect(harness.channel.sent).toHaveLength(5);
    const first = harness.channel.sent[0]!;
    expect(first.conversationId).toBe("C0SUB");
    expect(first.view.marking).toBe("CUI");
    // A channel: the case id, milestone and date, never the title (CUI).
    expect(first.text).toMatch(/Offer expiration \(OED\) for BN-D-YAB: due/);
    expect(JSON.stringify(first.view)).not.toContain("ATC radar");
    expect(JSON.stringify(first.view)).toContain("/ma case BN-D-YAB");
    expect(harness.channel.sent.every((message) => !message.text.includes("BN-B-ZZZ"))).toBe(true);
  });

  it("waits for the start of the working day", async () => {
    const harness = reminderHarness(db, "2026-06-01T11:00:00Z");
    await harness.makePass()(harness.clock.now());
    expect(harness.channel.sent).toHaveLength(0);
    harness.clock.set("2026-06-01T12:30:00Z");
    await harness.makePass()(harness.clock.now());
    expect(harness.channel.sent).toHaveLength(1);
  });

  it("catches up after downtime with the most recent reminder only", async () => {
    const harness = reminderHarness(db, at("2026-05-25").toISOString());
    const pass = harness.makePass();
    await pass(harness.clock.now());
    expect(harness.channel.sent).toHaveLength(0);
    harness.clock.set(at("2026-06-14"));
    const summary = await pass(harness.clock.now());
    expect(summary.plan.candidates.map((item) => item.offsetDays)).toEqual([1]);
    expect(harness.channel.sent.map((message) => message.text.match(/due \S+, (.*)$/)?.[1])).toEqual(["tomorrow"]);
  });

  it("sends nothing for a completed milestone, and cancels a planned one completed before delivery", async () => {
    const harness = reminderHarness(db, at("2026-06-01").toISOString());
    const pass = harness.makePass();
    await db.database.prisma.milestone.update({ where: { id: "m-oed" }, data: { completedDate: "2026-05-30" } });
    expect((await pass(harness.clock.now())).plan.candidates).toEqual([]);
    await db.database.prisma.milestone.update({ where: { id: "m-oed" }, data: { completedDate: null } });
    // Planned but not yet delivered (rate limited), then completed: cancelled, never sent.
    harness.channel.failures.push(rateLimited(60));
    await pass(harness.clock.now());
    await db.database.prisma.milestone.update({ where: { id: "m-oed" }, data: { completedDate: "2026-06-01" } });
    harness.clock.advance(61_000);
    const later = await pass(harness.clock.now());
    expect(later.delivery?.cancelled).toBe(1);
    expect(harness.channel.sent).toHaveLength(0);
    expect(await harness.repositories.outbox.statusCounts()).toEqual({ CANCELLED: 1 });
  });

  it("cancels a pending reminder when the channel unsubscribes", async () => {
    const harness = reminderHarness(db, at("2026-06-01").toISOString());
    harness.channel.failures.push(rateLimited(30));
    await harness.makePass()(harness.clock.now());
    await db.database.prisma.subscription.deleteMany({ where: { conversationId: "C0SUB" } });
    harness.clock.advance(31_000);
    await harness.makePass()(harness.clock.now());
    expect(harness.channel.sent).toHaveLength(0);
  });

  it("stops a channel's reminders once the person who subscribed it may no longer see the case", async () => {
    const harness = reminderHarness(db, at("2026-06-01").toISOString());
    // A faculty member subscribed the channel, then lost the role.
    harness.channel.failures.push(rateLimited(30));
    await harness.makePass()(harness.clock.now());
    await db.database.prisma.roleGrant.deleteMany({ where: { personId: "x" } });
    harness.clock.advance(31_000);
    const later = await harness.makePass()(harness.clock.now());
    expect(later.delivery?.cancelled).toBe(1);
    expect(harness.channel.sent).toHaveLength(0);
    const subscription = await db.database.prisma.subscription.findFirstOrThrow({ where: { targetId: "BN-D-YAB" } });
    expect(subscription.disabledReason).toBe("the subscriber may no longer see BN-D-YAB");
    // A stopped subscription plans nothing more.
    harness.clock.advance(7 * 86_400_000);
    expect((await harness.makePass()(harness.clock.now())).plan.candidates).toEqual([]);
  });

  it("sends once when two passes run at the same time", async () => {
    const harness = reminderHarness(db, at("2026-06-01").toISOString());
    await Promise.all([
      harness.makePass()(harness.clock.now()),
      harness.makePass()(harness.clock.now()),
      harness.makePass()(harness.clock.now()),
    ]);
    expect(harness.channel.sent).toHaveLength(1);
  });

  it("resends at most once after a crash between sending and recording, and loses nothing", async () => {
    const harness = reminderHarness(db, at("2026-06-01").toISOString());
    let crashes = 1;
    const crashing = harness.makePass(async () => {
      if (crashes-- > 0) throw new Error("process died after sending");
    });
    await expect(crashing(harness.clock.now())).rejects.toThrow("process died");
    expect(harness.channel.sent).toHaveLength(1);
    // Another worker right away: the claim still holds, nothing is sent again.
    await harness.makePass()(harness.clock.now());
    expect(harness.channel.sent).toHaveLength(1);
    // After the lease: the row is taken again and sent — one duplicate, and then recorded.
    harness.clock.advance(CLAIM_LEASE_MS + 1_000);
    await harness.makePass()(harness.clock.now());
    await harness.makePass()(harness.clock.now());
    expect(harness.channel.sent).toHaveLength(2);
    expect(await harness.repositories.outbox.statusCounts()).toEqual({ SENT: 1 });
  });

  it("honours Retry-After on a 429", async () => {
    const harness = reminderHarness(db, at("2026-06-01").toISOString());
    harness.channel.failures.push(rateLimited(30));
    const pass = harness.makePass();
    const first = await pass(harness.clock.now());
    expect(first.delivery?.retried).toBe(1);
    harness.clock.advance(20_000);
    await pass(harness.clock.now());
    expect(harness.channel.sent).toHaveLength(0);
    harness.clock.advance(10_001);
    await pass(harness.clock.now());
    expect(harness.channel.sent).toHaveLength(1);
    expect(harness.channel.sent[0]!.at - new Date(at("2026-06-01")).getTime()).toBeGreaterThanOrEqual(30_000);
  });

  it("records a permanent failure for remind --status instead of retrying", async () => {
    const harness = reminderHarness(db, at("2026-06-01").toISOString());
    harness.channel.failures.push(platformError("channel_not_found"));
    const pass = harness.makePass();
    expect((await pass(harness.clock.now())).delivery?.failed).toBe(1);
    harness.clock.advance(3_600_000);
    await pass(harness.clock.now());
    expect(harness.channel.sent).toHaveLength(0);
    const [failed] = await harness.repositories.outbox.listFailed(10);
    expect([failed?.lastError, failed?.conversationId, failed?.attempts]).toEqual(["channel_not_found", "C0SUB", 1]);
  });

  it("paces messages to one channel at least a second apart, measured on the clock", async () => {
    const { prisma } = db.database;
    await prisma.milestone.createMany({
      data: ["PAYMENT_DUE", "CASE_REVIEW", "INITIAL_DEPOSIT"].map((type) => ({ caseId: "BN-D-YAB", type, dueDate: DUE })),
    });
    const harness = reminderHarness(db, at("2026-06-01").toISOString());
    await harness.makePass()(harness.clock.now());
    const times = harness.channel.sent.map((message) => message.at);
    expect(times).toHaveLength(4);
    for (let index = 1; index < times.length; index++) expect(times[index]! - times[index - 1]!).toBeGreaterThanOrEqual(1_000);
    expect(harness.sleeps.length).toBe(3);
  });

  it("reminds the requester and the faculty lead of a scheduled Mission Assistance start", async () => {
    const { prisma } = db.database;
    const requester = await prisma.person.create({
      data: { displayName: "Riley", identities: { create: { key: "teams:aad-r", platform: "teams", externalId: "aad-r" } } },
    });
    const lead = await prisma.person.create({
      data: { displayName: "Dana", identities: { create: { key: "slack:ULEAD", platform: "slack", externalId: "ULEAD" } } },
    });
    await prisma.maRequest.create({
      data: {
        number: "MA-2026-0042",
        year: 2026,
        seq: 42,
        status: "SCHEDULED",
        requesterId: requester.id,
        leadId: lead.id,
        organization: "NIPO",
        component: "NAVY",
        program: "Frigates",
        effortTypes: "FMS",
        supportType: "WORKSHOP",
        lifecyclePhase: "LOA",
        problemStatement: "x".repeat(30),
        audienceSize: 5,
        preferredStart: DUE,
        preferredEnd: DUE,
        deliveryMode: "VIRTUAL",
        pocName: "Riley",
        pocEmail: "r@navy.mil",
        scheduledStart: addDays(DUE, 7),
        scheduledEnd: addDays(DUE, 8),
      },
    });
    const harness = reminderHarness(db, at(DUE).toISOString());
    const summary = await harness.makePass()(harness.clock.now());
    const targets = summary.plan.candidates
      .filter((item) => item.subjectKey.startsWith("request:"))
      .map((item) => `${item.platform} ${item.conversationId}`);
    expect(targets.sort()).toEqual(["slack @slack:ULEAD", "teams @teams:aad-r"]);
    // Only a Slack channel is connected in this test: the lead gets it; the Teams DM fails as unconfigured.
    expect(
      harness.channel.sent.some(
        (message) => message.conversationId === "@slack:ULEAD" && /MA-2026-0042 starts 2026-06-22, in 7 days/.test(message.text),
      ),
    ).toBe(true);
    expect((await harness.repositories.outbox.listFailed(10)).map((row) => row.lastError)).toEqual(["teams is not configured"]);
  });
});
