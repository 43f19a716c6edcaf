import { describe, expect, it } from "vitest";
import { takeUnhandled } from "./setup/no-unhandled-rejections.js";

describe("the unhandled-rejection guard", () => {
  it("catches a promise rejected with nobody awaiting it", async () => {
    const stray = Promise.reject(new Error("nobody awaits me"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const caught = takeUnhandled();
    expect(caught).toEqual([expect.objectContaining({ message: "nobody awaits me" })]);
    // Handle it now, so the runner itself does not count it a second time.
    await stray.catch(() => {});
  });
});
