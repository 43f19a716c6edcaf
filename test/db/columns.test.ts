import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  stored,
  storedChoice,
  UnknownStoredValueError,
  ZOutboxStatus,
  ZPlatform,
  ZRequestStatus,
} from "../../src/db/repositories/columns.js";

describe("stored values read back into the core's unions", () => {
  it("passes every value an enum knows, and refuses any other with the column named, never the value", () => {
    for (const status of ZRequestStatus.options) expect(stored(ZRequestStatus, "MaRequest.status", status)).toBe(status);
    expect(stored(ZPlatform, "Outbox.platform", "teams")).toBe("teams");
    for (const value of ["sent", "PENDING ", "", null, undefined, 1, { toString: () => "SENT" }]) {
      const refused = (() => {
        try {
          stored(ZOutboxStatus, "Outbox.status", value);
          return undefined;
        } catch (error) {
          return error;
        }
      })();
      expect(refused).toBeInstanceOf(UnknownStoredValueError);
      expect((refused as Error).message).toBe("Outbox.status holds a value this version does not know");
    }
  });

  it("checks other schemas with zod, and lets a choice column be empty", () => {
    expect(stored(z.number().int(), "Outbox.attempts", 3)).toBe(3);
    expect(() => stored(z.number().int(), "Outbox.attempts", "3")).toThrow(UnknownStoredValueError);
    expect(storedChoice(ZPlatform, "MaRequest.sourcePlatform", "")).toBe("");
    expect(() => storedChoice(ZPlatform, "MaRequest.sourcePlatform", "fax")).toThrow(UnknownStoredValueError);
  });
});
