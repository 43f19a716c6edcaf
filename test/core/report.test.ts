import { describe, expect, it } from "vitest";
import type { RequestStatus } from "../../src/core/domain.js";
import type { MaRequest } from "../../src/core/model.js";
import type { RequestActivity } from "../../src/core/ports.js";
import { DEFAULT_SERVICE_LEVELS } from "../../src/core/service-levels/policy.js";
import { computeReport, reportRows, spread } from "../../src/core/service-levels/report.js";
import { federalWorkingCalendar } from "../../src/reminders/holidays.js";

const clock = { calendar: federalWorkingCalendar(), levels: DEFAULT_SERVICE_LEVELS, timeZone: "America/New_York" };
/** 10:00 in New York on a November day. */
const at = (day: string) => new Date(`${day}T15:00:00Z`);

function activity(
  status: RequestStatus,
  form: { component: string; supportType: string; lifecyclePhase: string; audienceSize: number },
  trail: Array<[action: string, to: RequestStatus, day: string]>,
): RequestActivity {
  let from: RequestStatus | undefined;
  const events = trail.map(([action, toStatus, day]) => {
    const event = { action, fromStatus: from, toStatus, at: at(day) };
    from = toStatus;
    return event;
  });
  const request = { status, form, createdAt: events[0]?.at } as unknown as MaRequest;
  return { request, events };
}

/**
 * November 2026, worked by hand (Veterans Day 11-11 and Thanksgiving 11-26 are holidays,
 * Columbus Day 10-12 too; "today" is Monday 11-30):
 * R1 filed Mon 11-02, accepted Wed 11-04 (2 working days), scheduled 11-06, delivered Fri 11-20 (13).
 * R2 filed Tue 11-03, asked Mon 11-09 (4: triage breach), answered Wed 11-18 (6: answer breach), declined 11-19
 *    (11 working days after filing, 6 of them waiting on the requester: 5 to triage).
 * R3 filed Thu 11-05, accepted Fri 11-06 (1), still unscheduled on 11-30 (14: schedule breach).
 * R4 filed Mon 11-16, untouched on 11-30 (9: triage breach).
 * R5 filed Thu 10-01 (before the period), accepted 10-02, scheduled 10-05, delivered Tue 11-10 (27).
 */
const FIXTURE: RequestActivity[] = [
  activity("DELIVERED", { component: "ARMY", supportType: "ADVISORY", lifecyclePhase: "LOR", audienceSize: 12 }, [
    ["submit", "SUBMITTED", "2026-11-02"],
    ["accept", "ACCEPTED", "2026-11-04"],
    ["schedule", "SCHEDULED", "2026-11-06"],
    ["deliver", "DELIVERED", "2026-11-20"],
  ]),
  activity("DECLINED", { component: "NAVY", supportType: "TRAINING", lifecyclePhase: "LOA", audienceSize: 5 }, [
    ["submit", "SUBMITTED", "2026-11-03"],
    ["askInfo", "NEEDS_INFO", "2026-11-09"],
    ["answer", "SUBMITTED", "2026-11-18"],
    ["decline", "DECLINED", "2026-11-19"],
  ]),
  activity("ACCEPTED", { component: "ARMY", supportType: "TRAINING", lifecyclePhase: "LOR", audienceSize: 8 }, [
    ["submit", "SUBMITTED", "2026-11-05"],
    ["accept", "ACCEPTED", "2026-11-06"],
  ]),
  activity("SUBMITTED", { component: "AIR_FORCE", supportType: "ADVISORY", lifecyclePhase: "LOR", audienceSize: 3 }, [
    ["submit", "SUBMITTED", "2026-11-16"],
  ]),
  activity("DELIVERED", { component: "ARMY", supportType: "ADVISORY", lifecyclePhase: "CASE_EXECUTION", audienceSize: 30 }, [
    ["submit", "SUBMITTED", "2026-10-01"],
    ["accept", "ACCEPTED", "2026-10-02"],
    ["schedule", "SCHEDULED", "2026-10-05"],
    ["deliver", "DELIVERED", "2026-11-10"],
  ]),
];

describe("the service report", () => {
  it("computes medians, 90th percentiles and breaches from the audit trail, as worked by hand", () => {
    const report = computeReport(FIXTURE, "2026-11-01", "2026-11-30", "2026-11-30", clock);
    expect(report.filed).toBe(4);
    expect(report.byStatus).toEqual({ DELIVERED: 1, DECLINED: 1, ACCEPTED: 1, SUBMITTED: 1 });
    expect(report.byComponent).toEqual({ ARMY: 2, NAVY: 1, AIR_FORCE: 1 });
    expect(report.bySupportType).toEqual({ ADVISORY: 2, TRAINING: 2 });
    expect(report.byPhase).toEqual({ LOR: 3, LOA: 1 });
    // Triage decision, waiting on the requester left out: R1 2, R2 11 − 6 = 5, R3 1 → [1, 2, 5].
    expect(report.toFirstTriage).toEqual({ count: 3, median: 2, p90: 5 });
    // Delivered in November: R1 13, R5 27 → median 20.
    expect(report.toDelivery).toEqual({ count: 2, median: 20, p90: 27 });
    expect(report.delivered).toEqual({ sessions: 2, audience: 42 });
    expect(report.breaches).toEqual({ triage: 2, answer: 1, schedule: 1 });
  });

  it("pauses the clock while waiting on the requester: time to delivery and triage breaches leave it out", () => {
    // Filed Mon 11-02; asked Tue 11-03 (1 day in triage); answered Mon 11-16 (8 working days waiting:
    // 11-11 is a holiday); accepted Tue 11-17 (1 more: 2 in triage in all, at the level, no breach); delivered Fri 11-20.
    const paused = activity("DELIVERED", { component: "OSD", supportType: "ADVISORY", lifecyclePhase: "LOR", audienceSize: 4 }, [
      ["submit", "SUBMITTED", "2026-11-02"],
      ["askInfo", "NEEDS_INFO", "2026-11-03"],
      ["answer", "SUBMITTED", "2026-11-16"],
      ["accept", "ACCEPTED", "2026-11-17"],
      ["schedule", "SCHEDULED", "2026-11-18"],
      ["deliver", "DELIVERED", "2026-11-20"],
    ]);
    const report = computeReport([paused], "2026-11-01", "2026-11-30", "2026-11-30", clock);
    // 11-02 → 11-20 is 13 working days; 11-03 → 11-16 (8) were spent waiting on the requester.
    expect(report.toDelivery).toEqual({ count: 1, median: 5, p90: 5 });
    expect(report.toFirstTriage).toEqual({ count: 1, median: 2, p90: 2 });
    expect(report.breaches).toEqual({ triage: 0, answer: 1, schedule: 0 });
    // One more day in triage after the answer: 1 before + 2 after = 3 > 2, one breach for the round.
    paused.events[3]!.at = at("2026-11-18");
    const late = computeReport([paused], "2026-11-01", "2026-11-30", "2026-11-30", clock);
    expect(late.breaches.triage).toBe(1);
  });

  it("takes the middle two for an even count and the nearest rank for the 90th percentile", () => {
    expect(spread([])).toEqual({ count: 0 });
    expect(spread([5, 1, 3, 2])).toEqual({ count: 4, median: 2.5, p90: 5 });
    expect(spread(Array.from({ length: 10 }, (_, i) => i + 1))).toEqual({ count: 10, median: 5.5, p90: 9 });
  });

  it("counts a request filed on the period's last evening in New York, not the next UTC day's", () => {
    const late = activity("SUBMITTED", { component: "ARMY", supportType: "ADVISORY", lifecyclePhase: "LOR", audienceSize: 1 }, [
      ["submit", "SUBMITTED", "2026-11-30"],
    ]);
    late.events[0]!.at = new Date("2026-12-01T03:00:00Z"); // 22:00 on 11-30 in New York
    expect(computeReport([late], "2026-11-01", "2026-11-30", "2026-11-30", clock).filed).toBe(1);
    expect(computeReport([late], "2026-12-01", "2026-12-31", "2026-12-01", clock).filed).toBe(0);
  });

  it("lays the report out as section, item, value rows", () => {
    const rows = reportRows(computeReport(FIXTURE, "2026-11-01", "2026-11-30", "2026-11-30", clock));
    expect(rows).toContainEqual(["working days to triage (not counting waiting on the requester)", "median", 2]);
    expect(rows).toContainEqual(["service level breaches", "triage", 2]);
    expect(rows.slice(0, 3)).toEqual([
      ["period", "from", "2026-11-01"],
      ["period", "to", "2026-11-30"],
      ["filed", "requests", 4],
    ]);
  });
});
