import { describe, expect, it } from "vitest";
import { validateRequestForm } from "../../src/core/requests/request-form.js";
import { validForm } from "../helpers/core.js";

const TODAY = "2026-03-02";

function errorsFor(overrides: Parameters<typeof validForm>[0]) {
  const result = validateRequestForm(validForm(overrides), TODAY);
  return result.ok ? {} : result.fieldErrors;
}

describe("validateRequestForm", () => {
  it("accepts a complete form and normalises it", () => {
    const result = validateRequestForm(validForm({ effortTypes: "FMS, IAC, FMS", relatedCases: "bn b saa, BN-B-SAA-A1" }), TODAY);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.form.effortTypes).toEqual(["FMS", "IAC"]);
      expect(result.form.relatedCases).toEqual(["BN-B-SAA"]);
      expect(result.form.audienceSize).toBe(12);
    }
  });

  it("reports every field and every cross-field rule in one pass", () => {
    const errors = errorsFor({
      organization: "A",
      problemStatement: "short",
      preferredStart: "2026-04-10",
      preferredEnd: "2026-04-01",
      pocEmail: "pat",
      deliveryMode: "ON_SITE",
      location: "",
      travelFunded: false,
      relatedCases: "XYZ",
    });
    expect(Object.keys(errors).sort()).toEqual([
      "location",
      "organization",
      "pocEmail",
      "preferredEnd",
      "problemStatement",
      "relatedCases",
      "travelFunded",
    ]);
    expect(errors.relatedCases).toMatch(/^"XYZ" is not a case id: case ids look like CC-I-DDD, for example BN-B-SAA/);
    expect(errors.relatedCases).toMatch(/here the id is too short: 3 letters or digits/);
  });

  it("names every malformed related case id with its own reason, and accepts well-formed ones", () => {
    const result = validateRequestForm(validForm({ relatedCases: ["XYZ", "BN-B-SAA", "BN-Q-AAA", "BN-D-YA"] }), TODAY);
    expect(result.ok).toBe(false);
    const message = result.ok ? "" : (result.fieldErrors.relatedCases ?? "");
    expect(message).toBe(
      '3 of these are not case ids (case ids look like CC-I-DDD, for example BN-B-SAA): "XYZ": id is too short: 3 letters or digits, where a case id has 6 (CC, I, DDD); "BN-Q-AAA": unknown implementing agency "Q"; known: B Army, D Air Force (and Space Force), P Navy (and Marine Corps, Coast Guard), F DCMA, R DLA (legacy); "BN-D-YA": case designator "YA" is too short; it is 3 letters or digits (e.g. SAA)',
    );
    expect(message).not.toContain('BN-B-SAA"');
  });

  it.each([
    ["organization", { organization: "A" }, /at least 2/],
    ["organization", { organization: "x".repeat(201) }, /at most 200/],
    ["component", { component: "COAST_GUARD" }, /DoD component/],
    ["program", { program: "" }, /at least 2/],
    ["effortTypes", { effortTypes: [] }, /at least one/],
    ["effortTypes", { effortTypes: ["FMS", "LOAN"] }, /Effort types are/],
    ["supportType", { supportType: "" }, /support type/],
    ["lifecyclePhase", { lifecyclePhase: "LATE" }, /lifecycle phase/],
    ["problemStatement", { problemStatement: "too short" }, /at least 20/],
    ["problemStatement", { problemStatement: "x".repeat(3001) }, /at most 3,000 characters/],
    ["desiredOutcome", { desiredOutcome: "x".repeat(1001) }, /at most 1,000 characters/],
    ["audienceSize", { audienceSize: "0" }, /at least 1/],
    ["audienceSize", { audienceSize: "501" }, /at most 500/],
    ["audienceSize", { audienceSize: "2.5" }, /whole number/],
    ["audienceSize", { audienceSize: "many" }, /whole number/],
    ["preferredStart", { preferredStart: "2026-02-30" }, /must be a date/],
    ["preferredStart", { preferredStart: "2026-03-01" }, /past/],
    ["preferredEnd", { preferredEnd: "2026-04-05" }, /on or after the start/],
    ["deliveryMode", { deliveryMode: "MAIL" }, /delivery mode/],
    ["location", { deliveryMode: "ON_SITE", travelFunded: true, location: "" }, /required for on-site/],
    ["travelFunded", { deliveryMode: "HYBRID", location: "Huntsville, AL", travelFunded: false }, /funds travel/],
    [
      "relatedCases",
      { relatedCases: ["BN-B-SA"] },
      /"BN-B-SA" is not a case id: case ids look like CC-I-DDD, for example BN-B-SAA; here the case designator/,
    ],
    ["pocName", { pocName: "" }, /at least 2/],
    ["pocEmail", { pocEmail: "jordan.lee" }, /valid address/],
  ])("reports %s for %j", (field, overrides, message) => {
    const errors = errorsFor(overrides);
    expect(errors[field]).toMatch(message);
  });

  it("accepts the edges of each rule", () => {
    expect(errorsFor({ audienceSize: "1" })).toEqual({});
    expect(errorsFor({ audienceSize: "500" })).toEqual({});
    expect(errorsFor({ preferredStart: TODAY, preferredEnd: TODAY })).toEqual({});
    expect(errorsFor({ problemStatement: "x".repeat(20) })).toEqual({});
    expect(errorsFor({ deliveryMode: "ON_SITE", location: "Fort Belvoir, VA", travelFunded: "true" })).toEqual({});
    expect(errorsFor({ desiredOutcome: undefined, relatedCases: undefined })).toEqual({});
  });

  it("reports every bad field at once, keyed by field", () => {
    const errors = errorsFor({ organization: "", pocEmail: "nope", audienceSize: "" });
    expect(Object.keys(errors).sort()).toEqual(["audienceSize", "organization", "pocEmail"]);
  });

  it("drops location and travel confirmation for virtual support", () => {
    const result = validateRequestForm(validForm({ deliveryMode: "VIRTUAL", location: "Somewhere", travelFunded: true }), TODAY);
    expect(result.ok && [result.form.location, result.form.travelFunded]).toEqual(["", false]);
  });
});
