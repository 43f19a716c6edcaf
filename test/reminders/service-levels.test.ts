import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { owedForNewRequest } from "../../src/chat/owed.js";
import type { Actor, MaRequest } from "../../src/core/model.js";
import { moveRequest } from "../../src/core/requests/move-request.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import type { Move } from "../../src/core/requests/workflow.js";
import { addWorkingDays, workingDaysBetween } from "../../src/core/service-levels/working-days.js";
import { setTriageChannel } from "../../src/core/triage/triage-channel.js";
import { federalWorkingCalendar } from "../../src/reminders/holidays.js";
import { actorWith, validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { reminderHarness } from "../helpers/reminders.js";

/** 09:00 in New York (14:00 UTC in winter): after the working day's 08:00 start. */
const morning = (day: string, time = "14:00:00Z") => new Date(`${day}T${time}`);
const calendar = federalWorkingCalendar();

describe("working days", () => {
  it("skip weekends and U.S. federal holidays, observed days included", () => {
    expect(addWorkingDays("2026-11-20", 2, calendar)).toBe("2026-11-24"); // Friday + 2 = Tuesday
    expect(addWorkingDays("2026-01-16", 2, calendar)).toBe("2026-01-21"); // Monday 19th is MLK Day
    expect(addWorkingDays("2026-11-24", 2, calendar)).toBe("2026-11-27"); // Thursday 26th is Thanksgiving
    expect(calendar.isWorkingDay("2026-07-03")).toBe(false); // Independence Day on a Saturday, observed Friday
    expect(calendar.isWorkingDay("2027-12-31")).toBe(false); // New Year's Day 2028 on a Saturday, observed
    expect(workingDaysBetween("2026-11-20", "2026-11-30", calendar)).toBe(5);
  });
});

describe.each(DATABASE_KINDS)("service levels on $name", (kind) => {
  let db: TestDatabase;
  let harness: ReturnType<typeof reminderHarness>;
  let requester: Actor;
  let faculty: Actor;

  beforeEach(async () => {
    db = await kind.create();
    // Friday 2026-11-20, 10:00 in New York.
    harness = reminderHarness(db, "2026-11-20T15:00:00Z");
    requester = await actorWith(harness.core, "slack:UREQ", "Jordan Lee");
    faculty = await actorWith(harness.core, "slack:UFAC", "Dana Ruiz", [{ role: "faculty" }]);
    await actorWith(harness.core, "slack:UADM", "Avery Admin", [{ role: "admin" }]);
    await setTriageChannel(harness.core, { ...faculty, roles: [{ role: "admin" }] }, "slack", "C0TRIAGE");
  });
  afterEach(() => db.dispose());

  const audience = {
    platforms: ["slack" as const],
    triageChannels: new Map([["slack" as const, "C0TRIAGE"]]),
    timeZone: "America/New_York",
  };
  const submit = async (): Promise<MaRequest> => {
    const result = await submitRequest(harness.core, {
      actor: requester,
      raw: validForm({ preferredStart: "2027-01-11", preferredEnd: "2027-01-12" }),
      platform: "slack",
      owe: (request) => owedForNewRequest(audience, request),
    });
    if (!result.ok) throw new Error("invalid form");
    await harness.makeDispatcher().drain();
    return result.request;
  };
  const move = async (request: MaRequest, actor: Actor, step: Move) => {
    const current = (await harness.core.requests.findById(request.id))!;
    return moveRequest(harness.core, { actor, requestId: request.id, expectedVersion: current.version, move: step });
  };
  /** Runs a pass at `at` and returns what it sent. */
  const passAt = async (at: Date) => {
    harness.clock.set(at);
    const before = harness.channel.sent.length;
    await harness.makePass()(at);
    return harness.channel.sent.slice(before).filter((message) => !message.text.startsWith("Mission Assistance today"));
  };

  it("nudges the triage card on the second working day, then the admins at twice the level, each once", async () => {
    const request = await submit();
    const card = harness.channel.sent.find((message) => message.conversationId === "C0TRIAGE")!;
    const cardId = String(harness.channel.sent.indexOf(card) + 1);
    expect(await passAt(morning("2026-11-23"))).toEqual([]); // Monday: one working day
    const tuesday = await passAt(morning("2026-11-24"));
    expect(tuesday.map((message) => message.conversationId)).toEqual([`C0TRIAGE/thread/${cardId}`]);
    expect(tuesday[0]!.text).toBe(`${request.number} has waited 2 working days for triage.`);
    expect(await passAt(morning("2026-11-24", "20:00:00Z"))).toEqual([]);
    // Four working days: Mon, Tue, Wed, then Friday (Thursday is Thanksgiving).
    expect(await passAt(morning("2026-11-26"))).toEqual([]);
    const friday = await passAt(morning("2026-11-27"));
    expect(friday.map((message) => message.conversationId)).toEqual(["@slack:UADM"]);
    expect(JSON.stringify(friday[0]!.view)).toContain("twice its service level of 2 working days");
    expect(await passAt(morning("2026-11-30"))).toEqual([]);
  });

  it("moves the nudge one more day when the Monday is a federal holiday", async () => {
    harness.clock.set(new Date("2026-01-16T15:00:00Z")); // Friday; Monday the 19th is Martin Luther King Jr. Day
    await submit();
    expect(await passAt(morning("2026-01-20"))).toEqual([]);
    expect((await passAt(morning("2026-01-21"))).map((message) => message.conversationId)).toEqual([
      expect.stringMatching(/^C0TRIAGE\/thread\//),
    ]);
  });

  it("waits for 08:00 on the due day, and says nothing once the request has moved on", async () => {
    const request = await submit();
    expect(await passAt(new Date("2026-11-24T12:30:00Z"))).toEqual([]); // 07:30 in New York
    await move(request, faculty, { kind: "accept", leadId: faculty.id });
    expect(await passAt(morning("2026-11-24"))).toEqual([]);
    expect(await passAt(morning("2026-11-27"))).toEqual([]);
    // Accepted on Tuesday the 24th: ten working days later (Thanksgiving skipped) the lead is asked for dates.
    expect(await passAt(morning("2026-12-08"))).toEqual([]);
    const dates = await passAt(morning("2026-12-09"));
    expect(dates.map((message) => message.conversationId)).toEqual(["@slack:UFAC"]);
    expect(dates[0]!.text).toBe(`${request.number} has waited 10 working days for dates.`);
  });

  it("asks the requester for an answer after five working days, with the Answer button, and tells the asker at fifteen", async () => {
    const request = await submit();
    await move(request, faculty, { kind: "askInfo", question: "Which LOR version?" });
    expect(await passAt(morning("2026-11-27"))).toEqual([]);
    const toRequester = await passAt(morning("2026-11-30"));
    expect(toRequester.map((message) => message.conversationId)).toEqual(["@slack:UREQ"]);
    const view = JSON.stringify(toRequester[0]!.view);
    expect(view).toContain('"id":"answer"');
    expect(view).toContain("Which LOR version?");
    const toAsker = await passAt(morning("2026-12-14"));
    expect(toAsker.map((message) => message.conversationId)).toEqual(["@slack:UFAC"]);
    expect(JSON.stringify(toAsker[0]!.view)).toMatch(/Consider declining it/);
    // Answered: back in triage, a new stage with its own clock (from Monday the 14th).
    await move(request, requester, { kind: "answer", answer: "Version 2" });
    expect(await passAt(morning("2026-12-15"))).toEqual([]);
    expect((await passAt(morning("2026-12-16"))).map((message) => message.conversationId)).toEqual([
      expect.stringMatching(/^C0TRIAGE\/thread\//),
    ]);
  });

  it("asks the lead about a session whose end passed without Mark delivered, the next working morning", async () => {
    const request = await submit();
    await move(request, faculty, { kind: "accept", leadId: faculty.id });
    await move(request, faculty, { kind: "schedule", start: "2026-11-20", end: "2026-11-25" });
    expect(await passAt(morning("2026-11-26"))).toEqual([]); // Thanksgiving
    const friday = await passAt(morning("2026-11-27"));
    expect(friday.map((message) => message.text)).toEqual([`${request.number}: was the session delivered?`]);
  });

  it("posts a digest in the triage channel on working mornings from 08:30, once, and none on weekends or empty days", async () => {
    const digests = () => harness.channel.sent.filter((message) => message.text.startsWith("Mission Assistance today"));
    await passAt(new Date("2026-11-20T13:45:00Z")); // Friday 08:45, nothing open yet
    expect(digests()).toHaveLength(0);
    harness.clock.set(new Date("2026-11-20T14:00:00Z"));
    const request = await submit();
    await passAt(new Date("2026-11-21T14:00:00Z")); // Saturday
    await passAt(new Date("2026-11-23T13:15:00Z")); // Monday 08:15
    expect(digests()).toHaveLength(0);
    await passAt(new Date("2026-11-23T13:30:00Z")); // Monday 08:30
    await passAt(new Date("2026-11-23T13:45:00Z"));
    expect(digests()).toHaveLength(1);
    expect(digests()[0]!.conversationId).toBe("C0TRIAGE");
    const text = JSON.stringify(digests()[0]!.view);
    expect(text).toContain("Waiting for triage (1, oldest first)");
    expect(text).toContain(`*${request.number}*`);
    expect(text).toContain("1 working day");
  });

  it("owes each nudge once across two concurrent passes", async () => {
    await submit();
    await submit();
    const tuesday = morning("2026-11-24");
    harness.clock.set(tuesday);
    await Promise.all([harness.makePass()(tuesday), harness.makePass()(tuesday)]);
    const nudges = await db.database.prisma.outbox.findMany({ where: { kind: "nudge" } });
    expect(nudges).toHaveLength(2);
    expect(harness.channel.sent.filter((message) => message.conversationId.includes("/thread/"))).toHaveLength(2);
  });
});
