import type { MaRequest } from "../../src/core/model.js";

/** Markup a person might type into a form to ping a channel, disguise a link or add an image. */
export const SMUGGLED = [
  "<!channel>",
  "<@U0ADMIN>",
  "<https://evil.example|click>",
  "[a](https://evil.example)",
  "![i](https://evil.example/i.png)",
];

const all = SMUGGLED.join(" ");

/** A request whose every user-typed field carries the payloads. */
export function smuggledRequest(): MaRequest {
  const person = { id: "p1", displayName: `Pat ${SMUGGLED[1]}`, identityKeys: ["slack:U1"] };
  return {
    id: "r1",
    number: "MA-2026-0001",
    status: "NEEDS_INFO",
    version: 2,
    requester: person,
    form: {
      organization: `Org ${all}`,
      component: "ARMY",
      program: `Program ${all}`,
      effortTypes: ["FMS"],
      supportType: "ADVISORY",
      lifecyclePhase: "LOR",
      relatedCases: [],
      problemStatement: `Problem ${all}`,
      desiredOutcome: `Outcome ${all}`,
      audienceSize: 5,
      preferredStart: "2026-04-06",
      preferredEnd: "2026-04-07",
      deliveryMode: "ON_SITE",
      location: `Room ${all}`,
      travelFunded: true,
      pocName: `Poc ${all}`,
      pocEmail: "poc@army.mil",
    },
    eligibilityCheck: false,
    question: `Question ${all}`,
    statusSince: new Date("2026-03-02T17:00:00Z"),
    createdAt: new Date("2026-03-02T17:00:00Z"),
    updatedAt: new Date("2026-03-02T17:00:00Z"),
  };
}
