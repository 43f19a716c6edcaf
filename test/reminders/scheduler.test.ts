import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { startReminderScheduler } from "../../src/reminders/scheduler.js";

describe("startReminderScheduler", () => {
  it("runs a catch-up pass at start, never two at once, and waits for it on stop", async () => {
    let runs = 0;
    let active = 0;
    let maxActive = 0;
    let release: () => void = () => {};
    const scheduler = startReminderScheduler({
      // Once a year: only the start-up pass runs during this test.
      expression: "0 0 1 1 *",
      timeZone: "America/New_York",
      log: createLogger("silent"),
      runPass: async () => {
        runs++;
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        active--;
      },
    });
    expect(runs).toBe(1);
    const stopped = scheduler.stop();
    release();
    await stopped;
    expect([runs, maxActive, active]).toEqual([1, 1, 0]);
  });
});
