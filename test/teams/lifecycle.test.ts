import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { addDays, dayInZone } from "../../src/core/dates.js";
import { createLogger } from "../../src/logger.js";
import { BotConnectorStandIn, cardText } from "../helpers/bot-connector.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import {
  type Conversation,
  installActivity,
  invokeActivity,
  messageActivity,
  type Person,
  postActivity,
} from "../helpers/teams-activities.js";

const REQUESTER: Person = { aad: "aad-requester", name: "Riley Chen" };
const OTHER: Person = { aad: "aad-other", name: "Sam Ortiz" };
const MORGAN: Person = { aad: "aad-morgan", name: "Morgan Hale" };
const ADMIN: Person = { aad: "aad-admin", name: "Alex Kim" };
const TRIAGE: Conversation = { id: "19:triage@thread.tacv2", type: "channel" };
const personal = (person: Person): Conversation => ({ id: `a:dm-${person.aad}`, type: "personal" });
const MARKER = "ZQX-TEAMS-NOTE-8812";

function goodValues(program: string): Record<string, string> {
  const start = addDays(dayInZone(new Date(), "America/New_York"), 21);
  return {
    organization: "NIPO, Program Office",
    component: "NAVY",
    program,
    effortTypes: "FMS",
    supportType: "DOCUMENT_REVIEW",
    lifecyclePhase: "LOR",
    relatedCases: "",
    problemStatement: "Please review our draft LOR and the pricing assumptions before submission.",
    desiredOutcome: "",
    audienceSize: "6",
    preferredStart: start,
    preferredEnd: addDays(start, 1),
    deliveryMode: "VIRTUAL",
    location: "",
    travelFunded: "false",
    pocName: "Riley Chen",
    pocEmail: "riley.chen@navy.mil",
  };
}

describe.each(DATABASE_KINDS)("notes and merge over real teams-ai and HTTP on $name", (kind) => {
  let db: TestDatabase;
  let connector: BotConnectorStandIn;
  let app: RunningApp;
  let endpoint: string;

  beforeAll(async () => {
    db = await kind.create({ migrate: false });
    connector = await new BotConnectorStandIn().start();
    app = await startApp(loadConfig({ DATABASE_URL: db.url, PORT: "0", ADMIN_USERS: `teams:${ADMIN.aad}` }), createLogger("silent"), {
      reminders: false,
    });
    endpoint = `http://127.0.0.1:${app.port}/api/messages`;
    await app.repositories.people.grant(`teams:${MORGAN.aad}`, { role: "faculty" }, "test");
    for (const person of [REQUESTER, OTHER, MORGAN, ADMIN]) {
      expect((await postActivity(endpoint, installActivity(connector.url, person, personal(person)))).status).toBe(200);
    }
    await postActivity(endpoint, messageActivity(connector.url, ADMIN, TRIAGE, "triage-here"));
    await connector.waitFor((call) => call.conversationId === TRIAGE.id, "the triage-here answer");
  });
  afterAll(async () => {
    await app.close();
    await connector.stop();
    await db.dispose();
  });

  async function say(person: Person, text: string): Promise<string> {
    const before = connector.calls.length;
    expect((await postActivity(endpoint, messageActivity(connector.url, person, personal(person), text))).status).toBe(200);
    const answer = await connector.waitFor(
      (call) => connector.calls.indexOf(call) >= before && call.conversationId === personal(person).id && call.body.type === "message",
      `the answer to "${text}"`,
    );
    return cardText(answer.body);
  }

  async function submit(person: Person, program: string): Promise<string> {
    const response = await postActivity(
      endpoint,
      invokeActivity(connector.url, person, TRIAGE, "ma_form_request", { ...goodValues(program), state: "" }),
    );
    const number = /MA-\d{4}-\d{4}/.exec(cardText(response.body.value))?.[0] ?? "";
    await connector.waitFor(
      (call) => call.conversationId === TRIAGE.id && ["send", "reply"].includes(call.kind) && cardText(call.body).includes(number),
      "the triage card",
    );
    return number;
  }

  it("shows a note on the triage card (updated in place) and in faculty's show, not in the requester's", async () => {
    const number = await submit(REQUESTER, "Frigate sustainment for Bandaria");
    const before = connector.calls.length;
    expect(await say(MORGAN, `note ${number} ${MARKER} partner budget not approved`)).toMatch(/Internal note added/);
    const update = await connector.waitFor(
      (call) =>
        connector.calls.indexOf(call) >= before &&
        call.kind === "update" &&
        call.conversationId === TRIAGE.id &&
        cardText(call.body).includes(MARKER),
      "the card updated with the note",
    );
    expect(cardText(update.body)).toContain("Internal notes (faculty only)");
    expect(await say(MORGAN, `show ${number}`)).toContain(MARKER);
    expect(await say(REQUESTER, `show ${number}`)).not.toContain(MARKER);
    expect(await say(REQUESTER, `note ${number} hello`)).toContain("Only faculty can add internal notes.");
    expect(
      connector.calls.filter((call) => call.conversationId === personal(REQUESTER).id && JSON.stringify(call.body).includes(MARKER)),
    ).toEqual([]);
  });

  it("merges a duplicate and tells its requester once, in their chat", async () => {
    const a = await submit(REQUESTER, "Frigate sustainment, first");
    const b = await submit(OTHER, "Frigate sustainment, again");
    const before = connector.calls.length;
    expect(await say(MORGAN, `merge ${b} into ${a}`)).toContain(`${b} closed as a duplicate of ${a}.`);
    const told = await connector.waitFor(
      (call) =>
        connector.calls.indexOf(call) >= before &&
        call.conversationId === personal(OTHER).id &&
        cardText(call.body).includes("closed as a duplicate"),
      "the duplicate's requester told",
    );
    expect(cardText(told.body)).toContain(`You now follow ${a}`);
    await connector.waitFor(
      (call) =>
        connector.calls.indexOf(call) >= before &&
        call.kind === "update" &&
        call.conversationId === TRIAGE.id &&
        cardText(call.body).includes(`Merged into ${a}`),
      "the duplicate's card redrawn",
    );
    expect(await say(OTHER, "list")).toContain(a);
    expect(await say(OTHER, `merge ${b} into ${a}`)).toContain("Only faculty can merge requests.");
  });
});
