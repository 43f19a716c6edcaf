import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { addDays, dayInZone, formatDay } from "../../src/core/dates.js";
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
const MORGAN: Person = { aad: "aad-morgan", name: "Morgan Hale" };
const KIM: Person = { aad: "aad-kim", name: "Kim Baker" };
const ADMIN: Person = { aad: "aad-admin", name: "Alex Kim" };
const TRIAGE: Conversation = { id: "19:triage@thread.tacv2", type: "channel" };
const personal = (person: Person): Conversation => ({ id: `a:dm-${person.aad}`, type: "personal" });

// biome-ignore lint/suspicious/noExplicitAny: Adaptive Card JSON.
type Card = Record<string, any>;

function goodValues(): Record<string, string> {
  const start = addDays(dayInZone(new Date(), "America/New_York"), 21);
  return {
    organization: "NIPO, Program Office",
    component: "NAVY",
    program: "Frigate sustainment for Bandaria",
    effortTypes: "FMS",
    supportType: "DOCUMENT_REVIEW",
    lifecyclePhase: "LOR",
    relatedCases: "BN-P-SAB",
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

/** Every Action.Execute in a card. */
function actions(card: Card): Card[] {
  const found: Card[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      if ((node as Card).type === "Action.Execute") found.push(node as Card);
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return found;
}

const input = (card: Card, id: string): Card => card.body.find((element: Card) => element.id === id);

describe.each(DATABASE_KINDS)("faculty workbench over real teams-ai and HTTP on $name", (kind) => {
  let db: TestDatabase;
  let connector: BotConnectorStandIn;
  let app: RunningApp;
  let endpoint: string;
  const today = dayInZone(new Date(), "America/New_York");

  beforeAll(async () => {
    db = await kind.create({ migrate: false });
    connector = await new BotConnectorStandIn().start();
    app = await startApp(loadConfig({ DATABASE_URL: db.url, PORT: "0", ADMIN_USERS: `teams:${ADMIN.aad}` }), createLogger("silent"), {
      reminders: false,
    });
    endpoint = `http://127.0.0.1:${app.port}/api/messages`;
    for (const person of [MORGAN, KIM]) await app.repositories.people.grant(`teams:${person.aad}`, { role: "faculty" }, "test");
    for (const person of [REQUESTER, MORGAN, KIM, ADMIN]) {
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

  /** Says something in a 1:1 chat and returns the text of the bot's answer there. */
  async function say(person: Person, text: string): Promise<string> {
    const before = connector.calls.length;
    expect((await postActivity(endpoint, messageActivity(connector.url, person, personal(person), text))).status).toBe(200);
    const answer = await connector.waitFor(
      (call) => connector.calls.indexOf(call) >= before && call.conversationId === personal(person).id && call.body.type === "message",
      `the answer to "${text}"`,
    );
    return cardText(answer.body);
  }
  const invoke = (person: Person, verb: string, data: Record<string, unknown>) =>
    postActivity(endpoint, invokeActivity(connector.url, person, TRIAGE, verb, data));

  async function submitRequest(): Promise<{ number: string; card: Card }> {
    const response = await invoke(REQUESTER, "ma_form_request", { ...goodValues(), state: "" });
    const number = /MA-\d{4}-\d{4}/.exec(cardText(response.body.value))?.[0] ?? "";
    const posted = await connector.waitFor(
      (call) => call.conversationId === TRIAGE.id && ["send", "reply"].includes(call.kind) && cardText(call.body).includes(number),
      "the triage card",
    );
    return { number, card: posted.body.attachments[0].content };
  }

  it("fills a saved reply with Use in the Ask for information card, and the requester gets it filled in", async () => {
    expect(await say(MORGAN, "template add docs Please send the signed LOR for {id} ({title}) by {start}, {requester}.")).toMatch(
      /"docs" added/,
    );
    expect(await say(MORGAN, "template add oops see {deadline}")).toMatch(/Unknown variable \{deadline\}/);
    expect(await say(REQUESTER, "template add mine hello")).toContain("Only faculty can use saved replies.");
    expect(await say(REQUESTER, "templates")).toContain("Only faculty can use saved replies.");

    const { number, card } = await submitRequest();
    const ask = actions(card).find((action) => action.verb === "ma_askInfo")!;
    const form = (await invoke(MORGAN, "ma_askInfo", ask.data)).body.value as Card;
    const choices = input(form, "template");
    expect(choices.choices.map((choice: Card) => choice.title)).toEqual(["docs"]);
    const use = actions(form).find((action) => action.verb === "ma_useTemplate")!;
    expect(use.title).toBe("Use");
    // Nothing typed yet: the card must still send (required inputs are checked by the server).
    expect(input(form, "question").isRequired).toBe(false);

    // Action.Execute sends the card's inputs with the button's data.
    const filledCard = (await invoke(MORGAN, "ma_useTemplate", { ...use.data, template: choices.choices[0].value, question: "" })).body
      .value as Card;
    const start = goodValues().preferredStart;
    const filled = `Please send the signed LOR for ${number} (Frigate sustainment for Bandaria) by ${start}, Riley Chen.`;
    expect(input(filledCard, "question").value).toBe(filled);

    const submit = actions(filledCard).find((action) => action.verb === "ma_form_askInfo")!;
    const done = await invoke(MORGAN, "ma_form_askInfo", { ...submit.data, question: filled });
    expect(cardText(done.body.value)).toMatch(/asked for information/);
    const told = await connector.waitFor(
      (call) => call.conversationId === personal(REQUESTER).id && cardText(call.body).includes("signed LOR"),
      "the question in the requester's chat",
    );
    expect(cardText(told.body)).toContain(filled);
  });

  it("marks an away person in the lead picker and never pre-selects them; skills order the rest, each saying why", async () => {
    expect(await say(MORGAN, `away ${formatDay(today)} ${addDays(today, 9)} teaching`)).toMatch(/Noted/);
    await say(MORGAN, "skills BN FMS frigate");
    await say(KIM, "skills bn lor document_review");
    const { card } = await submitRequest();
    const accept = actions(card).find((action) => action.verb === "ma_accept")!;
    const form = (await invoke(KIM, "ma_accept", accept.data)).body.value as Card;
    const lead = input(form, "leadId");
    expect(lead.choices.map((choice: Card) => choice.title)).toEqual([
      "Kim Baker · 2 matching skills · 0 open",
      "Alex Kim · 0 open",
      `Morgan Hale · away until ${formatDay(addDays(today, 9))} · 3 matching skills · 0 open`,
    ]);
    const kim = await app.repositories.people.resolve({ key: `teams:${KIM.aad}` });
    expect(lead.value).toBe(kim.id);
  });

  it("answers home with a card: availability for faculty, the requester's own requests", async () => {
    expect(await say(MORGAN, "home")).toMatch(/You are away/);
    const mine = await say(REQUESTER, "home");
    expect(mine).toMatch(/Your requests \(2\)/);
    expect(mine).not.toMatch(/Triage queue/);
  });
});
