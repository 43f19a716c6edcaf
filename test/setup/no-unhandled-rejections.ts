import { afterEach, expect } from "vitest";

/**
 * No unhandled rejections, ever: any promise rejected with nobody awaiting it during a
 * test fails that test (and the suite), whatever the test itself asserted.
 */
const unhandled: unknown[] = [];
process.on("unhandledRejection", (reason) => {
  unhandled.push(reason);
});

/** What was caught since the last check (the guard's own test uses it). */
export function takeUnhandled(): unknown[] {
  return unhandled.splice(0);
}

afterEach(() => {
  expect(takeUnhandled().map((reason) => (reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)))).toEqual([]);
});
