import { describe, expect, it } from "vitest";
import { DOD_COMPONENTS, labelOf } from "../../src/core/domain.js";

describe("labelOf", () => {
  it("spells services as people spell them", () => {
    expect(DOD_COMPONENTS.map(labelOf)).toEqual([
      "Army",
      "Navy",
      "Marine Corps",
      "Air Force",
      "Space Force",
      "OSD",
      "Defense agency",
      "Combatant command",
      "Other",
    ]);
  });
});
