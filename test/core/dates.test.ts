import { describe, expect, it } from "vitest";
import { dayInZone } from "../../src/core/dates.js";

describe("dayInZone", () => {
  it("turns the day at the zone's midnight, to the minute, wherever the zone is", () => {
    // 23:59:59 and 00:00:00 in New York (EST, UTC-5): one second apart, two days.
    expect(dayInZone(new Date("2026-03-03T04:59:00Z"), "America/New_York")).toBe("2026-03-02");
    expect(dayInZone(new Date("2026-03-03T04:59:59.999Z"), "America/New_York")).toBe("2026-03-02");
    expect(dayInZone(new Date("2026-03-03T05:00:00Z"), "America/New_York")).toBe("2026-03-03");
    // The same instants in other zones are their own days, not New York's.
    expect(dayInZone(new Date("2026-03-03T04:59:30Z"), "UTC")).toBe("2026-03-03");
    // Kathmandu is UTC+5:45: its midnight is 18:15 UTC.
    expect(dayInZone(new Date("2026-03-02T18:14:59Z"), "Asia/Kathmandu")).toBe("2026-03-02");
    expect(dayInZone(new Date("2026-03-02T18:15:00Z"), "Asia/Kathmandu")).toBe("2026-03-03");
  });

  it("follows daylight saving time: in summer New York's day begins an hour earlier in UTC", () => {
    expect(dayInZone(new Date("2026-07-02T03:59:59Z"), "America/New_York")).toBe("2026-07-01");
    expect(dayInZone(new Date("2026-07-02T04:00:00Z"), "America/New_York")).toBe("2026-07-02");
  });

  it("reads instants before 2000, when offsets could have seconds, as they are", () => {
    // Monrovia was UTC-0:44:30 until 1972: its midnight fell 30 seconds into a UTC minute.
    expect(dayInZone(new Date("1970-06-01T00:44:29Z"), "Africa/Monrovia")).toBe("1970-05-31");
    expect(dayInZone(new Date("1970-06-01T00:44:31Z"), "Africa/Monrovia")).toBe("1970-06-01");
  });

  it("refuses a zone it does not know, every time", () => {
    expect(() => dayInZone(new Date("2026-03-02T12:00:00Z"), "Mars/Olympus")).toThrow(RangeError);
    expect(() => dayInZone(new Date("2026-03-02T12:00:00Z"), "Mars/Olympus")).toThrow(RangeError);
  });
});
