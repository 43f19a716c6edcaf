import { describe, expect, it } from "vitest";
import { formatInstant } from "../../src/chat/format.js";

describe("formatInstant", () => {
  it("reads every second of a minute as that minute, in the reader's zone", () => {
    const first = formatInstant(new Date("2026-03-02T17:05:00.000Z"), "America/New_York");
    expect(first).toBe("2026-03-02 12:05 EST (America/New_York)");
    expect(formatInstant(new Date("2026-03-02T17:05:59.999Z"), "America/New_York")).toBe(first);
    expect(formatInstant(new Date("2026-03-02T17:06:00.000Z"), "America/New_York")).toBe("2026-03-02 12:06 EST (America/New_York)");
    // The same minute in another zone is its own text, not the first zone's.
    expect(formatInstant(new Date("2026-03-02T17:05:30.000Z"), "Europe/Berlin")).toBe("2026-03-02 18:05 GMT+1 (Europe/Berlin)");
    expect(formatInstant(new Date("2026-03-02T17:05:30.000Z"), "UTC")).toBe("2026-03-02 17:05 UTC");
  });

  it("changes its zone's name and offset at the minute daylight saving time begins", () => {
    expect(formatInstant(new Date("2026-03-08T06:59:30Z"), "America/New_York")).toBe("2026-03-08 01:59 EST (America/New_York)");
    expect(formatInstant(new Date("2026-03-08T07:00:30Z"), "America/New_York")).toBe("2026-03-08 03:00 EDT (America/New_York)");
  });

  it("formats instants before 2000, when some zones' offsets had seconds, as they are", () => {
    // One UTC minute, two local minutes: a text kept per UTC minute would be wrong for one of them.
    expect(formatInstant(new Date("1970-06-01T12:00:00Z"), "Africa/Monrovia")).toBe("1970-06-01 11:15 GMT-0:44:30 (Africa/Monrovia)");
    expect(formatInstant(new Date("1970-06-01T12:00:31Z"), "Africa/Monrovia")).toBe("1970-06-01 11:16 GMT-0:44:30 (Africa/Monrovia)");
  });
});
