import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { noticeView } from "../../src/chat/present.js";
import { loadConfig } from "../../src/config.js";
import { addDays, dayInZone } from "../../src/core/dates.js";
import { createLogger } from "../../src/logger.js";
import { isLoopbackAddress, namesThisServer } from "../../src/teams/loopback-guard.js";
import { BotConnectorStandIn, cardText } from "../helpers/bot-connector.js";
import { END_TO_END_DATABASE, type TestDatabase, withDemoCases } from "../helpers/databases.js";
import {
  buttonTitles,
  type Conversation,
  installActivity,
  invokeActivity,
  messageActivity,
  type Person,
  postActivity,
  pressButton,
  type TypedInputs,
} from "../helpers/teams-activities.js";
import { waitForOutboxSettled } from "../helpers/wait.js";

const database = END_TO_END_DATABASE;
const REQUESTER: Person = { aad: "aad-requester", name: "Riley Chen" };
const FACULTY: Person = { aad: "aad-faculty", name: "Morgan Hale" };
const ADMIN: Person = { aad: "aad-admin", name: "Alex Kim" };
const TRIAGE: Conversation = { id: "19:triage@thread.tacv2", type: "channel" };
const GENERAL: Conversation = { id: "19:general@thread.tacv2", type: "channel" };
const personal = (person: Person): Conversation => ({ id: `a:dm-${person.aad}`, type: "personal" });

function goodValues(): Record<string, string> {
  const start = addDays(dayInZone(new Date(), "America/New_York"), 21);
  return {
    organization: "NIPO, Program Office",
    component: "NAVY",
    program: "Frigate sustainment for Bandaria",
    effortTypes: "FMS,IAC",
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

describe("Teams adapter over real teams-ai and HTTP", () => {
  let db: TestDatabase;
  let connector: BotConnectorStandIn;
  let app: RunningApp;
  let endpoint: string;

  beforeAll(async () => {
    db = await database.create({ migrate: false });
    connector = await new BotConnectorStandIn().start();
    app = await startApp(loadConfig({ DATABASE_URL: db.url, PORT: "0", ADMIN_USERS: `teams:${ADMIN.aad}` }), createLogger("silent"));
    await withDemoCases(app.database);
    endpoint = `http://127.0.0.1:${app.port}/api/messages`;
    await app.repositories.people.grant(`teams:${FACULTY.aad}`, { role: "faculty" }, "test");
    // Each person has installed the bot, so a 1:1 conversation reference is stored.
    for (const person of [REQUESTER, FACULTY, ADMIN]) {
      expect((await postActivity(endpoint, installActivity(connector.url, person, personal(person)))).status).toBe(200);
    }
    await postActivity(endpoint, messageActivity(connector.url, ADMIN, TRIAGE, "triage-here"));
    await connector.waitFor(
      (call) => call.conversationId === TRIAGE.id && JSON.stringify(call.body).includes("faculty triage"),
      "the triage-here answer",
    );
  });
  afterAll(async () => {
    await app.close();
    await connector.stop();
    await db.dispose();
  });
  beforeEach(() => connector.clear());

  const say = (person: Person, conversation: Conversation, text: string) =>
    postActivity(endpoint, messageActivity(connector.url, person, conversation, text));
  const invoke = (person: Person, conversation: Conversation, verb: string, data: Record<string, unknown>, replyToId?: string) =>
    postActivity(endpoint, invokeActivity(connector.url, person, conversation, verb, data, replyToId));
  const lastCard = (conversationId: string) => {
    const call = connector
      .messages()
      .filter((message) => message.conversationId === conversationId)
      .at(-1);
    return call?.body.attachments?.[0]?.content;
  };

  /** Presses a button of a card the bot sent, as `person` in `conversation`; answers the invoke's card. */
  async function press(card: unknown, title: string, person: Person, conversation: Conversation, typed: TypedInputs = {}) {
    const response = await postActivity(
      endpoint,
      pressButton(card, title, { serviceUrl: connector.url, from: person, conversation }, typed),
    );
    expect(response.status).toBe(200);
    return response.body.value;
  }

  /** Waits until everything owed so far has been sent (bounded, like waitUntil). */
  async function outboxSent() {
    for (let attempt = 0; attempt < 400; attempt++) {
      if ((await app.database.prisma.outbox.count({ where: { status: "PENDING" } })) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("owed messages were never sent");
  }

  async function submitGood() {
    const response = await invoke(REQUESTER, personal(REQUESTER), "ma_form_request", { ...goodValues(), state: "" });
    expect(response.status).toBe(200);
    expect(cardText(response.body.value)).toMatch(/Your request is MA-\d{4}-\d{4}/);
    const number = /MA-\d{4}-\d{4}/.exec(cardText(response.body.value))![0];
    const posted = await connector.waitFor(
      (call) => ["send", "reply"].includes(call.kind) && call.conversationId === TRIAGE.id && cardText(call.body).includes(number),
      "the triage card",
    );
    return { number, posted };
  }

  it("stores the conversation and says hello when installed", async () => {
    const stored = await app.repositories.conversations.findPersonal(`teams:${REQUESTER.aad}`);
    expect(stored?.conversationId).toBe(personal(REQUESTER).id);
    expect(JSON.parse(stored?.reference ?? "{}").serviceUrl).toBe(connector.url);
  });

  it("answers help with a card", async () => {
    expect((await say(REQUESTER, personal(REQUESTER), "help")).status).toBe(200);
    const reply = await connector.waitFor((call) => call.conversationId === personal(REQUESTER).id, "the help card");
    expect(reply.body.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(cardText(reply.body)).toMatch(/space-available/);
  });

  it("answers new with the request form card, every field an input", async () => {
    await say(REQUESTER, personal(REQUESTER), "new");
    await connector.waitFor((call) => call.conversationId === personal(REQUESTER).id, "the form");
    const card = lastCard(personal(REQUESTER).id);
    expect(card.version).toBe("1.5");
    const ids = JSON.stringify(card)
      .match(/"id":"[a-zA-Z]+"/g)
      ?.map((text) => text.slice(6, -1));
    expect(ids).toEqual(
      expect.arrayContaining([
        "organization",
        "component",
        "effortTypes",
        "problemStatement",
        "preferredStart",
        "travelFunded",
        "pocEmail",
      ]),
    );
    expect(card.actions[0]).toMatchObject({ type: "Action.Execute", verb: "ma_form_request" });
  });

  it("returns the same card with the user's values and errors beside the bad inputs", async () => {
    const before = await app.database.prisma.maRequest.count();
    const values: Record<string, string> = { ...goodValues(), pocEmail: "riley", audienceSize: "900", state: "" };
    const response = await invoke(REQUESTER, personal(REQUESTER), "ma_form_request", values);
    expect(response.body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    const body = response.body.value.body as Array<{ id?: string; value?: unknown; text?: string; color?: string }>;
    const program = body.find((element) => element.id === "program");
    expect(program?.value).toBe(values.program);
    const emailIndex = body.findIndex((element) => element.id === "pocEmail");
    // The field's hint (its limit) stays, and the error follows it.
    expect(body[emailIndex + 1]).toMatchObject({ type: "RichTextBlock", inlines: [{ text: "Up to 254 characters." }] });
    expect(body[emailIndex + 2]).toMatchObject({
      type: "RichTextBlock",
      inlines: [{ color: "Attention", text: expect.stringMatching(/valid address/) }],
    });
    expect(cardText(response.body.value)).toMatch(/at most 500/);
    // Every malformed related case id, each with its own reason.
    const related = await invoke(REQUESTER, personal(REQUESTER), "ma_form_request", {
      ...goodValues(),
      relatedCases: "XYZ, BN-B-SAA, BN-Q-AAA",
      state: "",
    });
    expect(cardText(related.body.value)).toMatch(
      /2 of these are not case ids \(case ids look like CC-I-DDD, for example BN-B-SAA\): "XYZ": id is too short.*; "BN-Q-AAA": unknown implementing agency "Q"/,
    );
    expect(await app.database.prisma.maRequest.count()).toBe(before);
  });

  it("shows each text field's limit on the card and refuses a longer paste whole, naming the limit (issue 26)", async () => {
    await say(REQUESTER, personal(REQUESTER), "new");
    await connector.waitFor((call) => call.conversationId === personal(REQUESTER).id, "the form");
    const card = lastCard(personal(REQUESTER).id);
    const body = card.body as Array<{ id?: string; maxLength?: number; label?: string }>;
    const problem = body.findIndex((element) => element.id === "problemStatement");
    // No maxLength: Teams would cut a longer paste in the client without a word.
    expect(body[problem]).not.toHaveProperty("maxLength");
    expect(body[problem]?.label).toBe("Problem statement");
    expect(cardText({ body: [body[problem + 1]] })).toBe("What do you need help with? At least 20, up to 3,000 characters.");
    expect(cardText(card)).toContain("Up to 200 characters.");
    const before = await app.database.prisma.maRequest.count();
    const pasted = "Our LOR needs pricing help. ".repeat(140).slice(0, 3900);
    const response = await invoke(REQUESTER, personal(REQUESTER), "ma_form_request", {
      ...goodValues(),
      problemStatement: pasted,
      state: "",
    });
    const again = response.body.value as { body: Array<{ id?: string; value?: string }> };
    // The whole paste is back in the box, with the limit named beside it.
    expect(again.body.find((element) => element.id === "problemStatement")?.value).toBe(pasted);
    expect(cardText(again)).toContain("Problem statement can have at most 3,000 characters");
    expect(await app.database.prisma.maRequest.count()).toBe(before);
  });

  it("stores a good submission once even when Teams resends the invoke, and posts one triage card", async () => {
    const before = await app.database.prisma.maRequest.count();
    const activity = invokeActivity(connector.url, REQUESTER, personal(REQUESTER), "ma_form_request", { ...goodValues(), state: "" });
    const first = await postActivity(endpoint, activity);
    const resent = await postActivity(endpoint, activity);
    expect(cardText(first.body.value)).toBe(cardText(resent.body.value));
    await connector.waitFor((call) => call.conversationId === TRIAGE.id && ["send", "reply"].includes(call.kind), "the triage card");
    await connector.waitFor((call) => call.conversationId === personal(REQUESTER).id, "the requester's confirmation");
    await waitForOutboxSettled(app.database.prisma);
    expect(await app.database.prisma.maRequest.count()).toBe(before + 1);
    expect(connector.messages().filter((call) => call.conversationId === TRIAGE.id)).toHaveLength(1);
  });

  it("accepts a well-formed case id not on file, and marks it 'not on file' for faculty only (issue 26)", async () => {
    const response = await invoke(REQUESTER, personal(REQUESTER), "ma_form_request", {
      ...goodValues(),
      relatedCases: "BN-B-SAA, bn p zz9",
      state: "",
    });
    const number = /MA-\d{4}-\d{4}/.exec(cardText(response.body.value))![0];
    const posted = await connector.waitFor(
      (call) => ["send", "reply"].includes(call.kind) && call.conversationId === TRIAGE.id && cardText(call.body).includes(number),
      "the triage card",
    );
    expect(cardText(posted.body)).toContain("BN-B-SAA, BN-P-ZZ9 (not on file)");
    const confirmation = await connector.waitFor(
      (call) => call.conversationId === personal(REQUESTER).id && cardText(call.body).includes("was received"),
      "the requester's confirmation",
    );
    expect(cardText(confirmation.body)).toContain("BN-B-SAA, BN-P-ZZ9");
    expect(cardText(confirmation.body)).not.toContain("not on file");
    connector.clear();
    await say(FACULTY, personal(FACULTY), `show ${number}`);
    const shown = await connector.waitFor((call) => call.conversationId === personal(FACULTY).id, "faculty's show");
    expect(cardText(shown.body)).toContain("BN-B-SAA, BN-P-ZZ9 (not on file)");
    await say(REQUESTER, personal(REQUESTER), `show ${number}`);
    const own = await connector.waitFor((call) => call.conversationId === personal(REQUESTER).id, "the requester's show");
    expect(cardText(own.body)).toContain("BN-P-ZZ9");
    expect(cardText(own.body)).not.toContain("not on file");
  });

  it("redraws the requester's received card as faculty move it: Edit goes on acceptance (issue 26)", async () => {
    const { number, posted } = await submitGood();
    const titles = (card: { actions?: unknown; body?: unknown }) => {
      const found: string[] = [];
      JSON.stringify(card, (_key, value) => {
        if (value && typeof value === "object" && (value as { type?: string }).type === "Action.Execute")
          found.push((value as { title: string }).title);
        return value;
      });
      return found;
    };
    const received = await connector.waitFor(
      (call) => call.conversationId === personal(REQUESTER).id && cardText(call.body).includes(`request ${number} was received`),
      "the received card",
    );
    expect(titles(received.body.attachments[0].content)).toEqual(["Withdraw", "Edit"]);
    const request = await app.database.prisma.maRequest.findUniqueOrThrow({ where: { number } });
    let stored = null;
    for (let attempt = 0; attempt < 200 && !stored; attempt++) {
      stored = await app.database.prisma.requesterCard.findFirst({ where: { requestId: request.id } });
      if (!stored) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(stored).toMatchObject({ platform: "teams", conversationId: personal(REQUESTER).id, drawnVersion: 1 });
    const form = await press(posted.body.attachments[0].content, "Accept and assign", FACULTY, TRIAGE);
    const faculty = await app.repositories.people.resolve({ key: `teams:${FACULTY.aad}` });
    const at = { serviceUrl: connector.url, from: FACULTY, conversation: TRIAGE, replyToId: posted.activityId };
    connector.clear();
    await postActivity(endpoint, pressButton(form, "Accept", at, { leadId: faculty.id }));
    const redrawn = await connector.waitFor(
      (call) => call.kind === "update" && call.conversationId === personal(REQUESTER).id && call.activityId === stored?.messageId,
      "the received card redrawn",
    );
    expect(cardText(redrawn.body)).toContain(`request ${number} was received`);
    expect(cardText(redrawn.body)).toMatch(/Accepted since/);
    expect(titles(redrawn.body.attachments[0].content)).toEqual(["Withdraw"]);
  });

  it("answers a resent message activity once", async () => {
    // What earlier tests owed this chat (card redraws) is delivered first, so only the answers count.
    await waitForOutboxSettled(app.database.prisma);
    connector.clear();
    const activity = messageActivity(connector.url, REQUESTER, personal(REQUESTER), "list");
    await postActivity(endpoint, activity);
    await postActivity(endpoint, activity);
    await connector.waitFor((call) => call.conversationId === personal(REQUESTER).id, "the list");
    await waitForOutboxSettled(app.database.prisma);
    expect(connector.messages().filter((call) => call.conversationId === personal(REQUESTER).id)).toHaveLength(1);
  });

  it("lets faculty accept from the triage card: card updated for everyone, requester told in their 1:1 chat", async () => {
    const { number, posted } = await submitGood();
    const form = await press(posted.body.attachments[0].content, "Accept and assign", FACULTY, TRIAGE);
    expect(cardText(form)).toMatch(/Morgan Hale · \d+ open/);
    // The lead is required: one is pre-selected, and Teams itself refuses to send the form with it cleared.
    const at = { serviceUrl: connector.url, from: FACULTY, conversation: TRIAGE, replyToId: posted.activityId };
    expect(() => pressButton(form, "Accept", at, { leadId: "" })).toThrow(/Faculty lead is required/);
    const faculty = await app.repositories.people.resolve({ key: `teams:${FACULTY.aad}` });
    connector.clear();
    const done = await postActivity(endpoint, pressButton(form, "Accept", at, { leadId: faculty.id, note: "Morgan calls you Monday" }));
    expect(cardText(done.body.value)).toMatch(/Accepted by Morgan Hale; lead: Morgan Hale/);
    const update = await connector.waitFor(
      (call) => call.kind === "update" && call.conversationId === TRIAGE.id,
      "the channel card update",
    );
    expect(update.activityId).toBe(posted.activityId);
    // The confirmation of the submission may still be on its way (paced per conversation): wait for this notice.
    const told = await connector.waitFor(
      (call) => call.conversationId === personal(REQUESTER).id && /Accepted by Morgan Hale/.test(cardText(call.body)),
      "the requester's notice",
    );
    expect(cardText(told.body)).toContain(number);
    // The history names the lead, with the note beside it.
    connector.clear();
    expect((await say(FACULTY, personal(FACULTY), `show ${number}`)).status).toBe(200);
    const shown = await connector.waitFor(
      (call) => call.conversationId === personal(FACULTY).id && cardText(call.body).includes("History"),
      "the request's history",
    );
    expect(cardText(shown.body)).toContain("Morgan Hale accepted and assigned: Lead: Morgan Hale — Morgan calls you Monday");
  });

  it("replies under a channel card in its thread", async () => {
    const { posted } = await submitGood();
    connector.clear();
    await app.teams!.channel.replyToCard({ conversationId: TRIAGE.id, messageId: posted.activityId ?? "" }, noticeView("⏰ waiting"));
    const reply = await connector.waitFor((call) => call.conversationId.startsWith(TRIAGE.id), "the thread reply");
    expect(reply.conversationId).toBe(`${TRIAGE.id};messageid=${posted.activityId}`);
    expect(cardText(reply.body)).toContain("⏰ waiting");
  });

  it("lets faculty back out of every move's form with its Cancel button, the required fields left empty", async () => {
    const { number, posted } = await submitGood();
    const triageCard = posted.body.attachments[0].content;
    for (const [move, required] of [
      ["Accept and assign", "leadId"],
      ["Ask for information", "question"],
      ["Decline", "reason"],
    ]) {
      const form = await press(triageCard, move, FACULTY, TRIAGE);
      expect(JSON.stringify(form)).toContain(`"id":"${required}"`);
      const back = await press(form, "Cancel", FACULTY, TRIAGE);
      expect(cardText(back)).toContain(number);
      expect(buttonTitles(back)).toEqual(expect.arrayContaining(["Accept and assign", "Ask for information", "Decline"]));
    }
    const stored = await app.database.prisma.maRequest.findUniqueOrThrow({ where: { number } });
    expect([stored.status, stored.version]).toEqual(["SUBMITTED", 1]);
  });

  it("answers a refused Mark delivered with the triage card, its buttons and the reason", async () => {
    const { number, posted } = await submitGood();
    const faculty = await app.repositories.people.resolve({ key: `teams:${FACULTY.aad}` });
    const acceptForm = await press(posted.body.attachments[0].content, "Accept and assign", FACULTY, TRIAGE);
    const accepted = await press(acceptForm, "Accept", FACULTY, TRIAGE, { leadId: faculty.id });
    // The schedule form comes filled with the preferred dates, three weeks ahead.
    const scheduleForm = await press(accepted, "Schedule", FACULTY, TRIAGE);
    const scheduled = await press(scheduleForm, "Schedule", FACULTY, TRIAGE);
    expect(cardText(scheduled)).toMatch(/Scheduled:/);
    const refused = await press(scheduled, "Mark delivered", FACULTY, TRIAGE);
    expect(cardText(refused)).toMatch(new RegExp(`${number} starts on \\d{4}-\\d{2}-\\d{2}; it can be marked delivered from then`));
    expect(cardText(refused)).toMatch(/Faculty lead: Morgan Hale\nScheduled: \d{4}-\d{2}-\d{2} to /);
    expect(buttonTitles(refused)).toEqual(buttonTitles(scheduled));
    expect(buttonTitles(refused)).toContain("Mark delivered");
    const stored = await app.database.prisma.maRequest.findUniqueOrThrow({ where: { number } });
    expect(stored.status).toBe("SCHEDULED");
    // The moves owed card updates and notices: all sent before the next test counts the connector's calls.
    await outboxSent();
  });

  it("leaves the card as it was, with the reason beside it, when a move fails and the request cannot be read", async () => {
    const { number, posted } = await submitGood();
    await outboxSent();
    const prisma = app.database.prisma;
    await prisma.$executeRawUnsafe(`ALTER TABLE "MaRequest" RENAME TO "MaRequest_away"`);
    try {
      const press = pressButton(posted.body.attachments[0].content, "Decline", {
        serviceUrl: connector.url,
        from: FACULTY,
        conversation: TRIAGE,
      });
      const response = await postActivity(endpoint, press);
      expect(response.status).toBe(200);
      // Teams shows the message and keeps the card, buttons and all.
      expect(response.body).toEqual({
        statusCode: 500,
        type: "application/vnd.microsoft.error",
        value: { code: "InternalServerError", message: "The database did not answer; nothing was changed. Please try again in a minute." },
      });
    } finally {
      await prisma.$executeRawUnsafe(`ALTER TABLE "MaRequest_away" RENAME TO "MaRequest"`);
    }
    const stored = await prisma.maRequest.findUniqueOrThrow({ where: { number } });
    expect([stored.status, stored.version]).toEqual(["SUBMITTED", 1]);
  });

  it("gives a requester who clicks a faculty button the reason on their own card, and changes nothing", async () => {
    const { number, posted } = await submitGood();
    const response = await press(posted.body.attachments[0].content, "Accept and assign", REQUESTER, TRIAGE);
    expect(cardText(response)).toMatch(/Only faculty can accept and assign/);
    expect(cardText(response)).toContain(number);
    expect(buttonTitles(response)).toContain("Withdraw");
    expect(buttonTitles(response)).not.toContain("Accept and assign");
    const stored = await app.database.prisma.maRequest.findUniqueOrThrow({ where: { number } });
    expect([stored.status, stored.version]).toEqual(["SUBMITTED", 1]);
  });

  it("refuses a stale click with the current card", async () => {
    const { posted } = await submitGood();
    const triageCard = posted.body.attachments[0].content;
    const form = await press(triageCard, "Ask for information", FACULTY, TRIAGE);
    const asked = await press(form, "Send", FACULTY, TRIAGE, { question: "Which LOR version?" });
    expect(cardText(asked)).toMatch(/Waiting for the requester: Which LOR version\?/);
    expect(cardText(asked).split("Which LOR version?")).toHaveLength(2);
    // The same faculty member's old copy of the card (another device) still offers Decline.
    const stale = await press(triageCard, "Decline", FACULTY, TRIAGE);
    expect(cardText(stale)).toMatch(/changed since you opened it/);
    expect(cardText(stale)).toMatch(/Needs info/);
  });

  it("answers a case lookup asked in a channel in the 1:1 chat, marked CUI", async () => {
    expect((await say(FACULTY, GENERAL, "case BN-B-SAA")).status).toBe(200);
    const note = await connector.waitFor((call) => call.conversationId === GENERAL.id, "the channel note");
    expect(note.body.text).toBe("I sent you the answer in our private chat.");
    const answer = await connector.waitFor((call) => call.conversationId === personal(FACULTY).id, "the private answer");
    expect(cardText(answer.body)).toMatch(/^CUI — Controlled Unclassified Information/);
    expect(cardText(answer.body)).toContain("BN-B-SAA");
    // The implementing agency the id encodes (B) is spelled out, and components read as people write them.
    expect(cardText(answer.body)).toMatch(/Implementing agency: Army/);
    expect(JSON.stringify(connector.calls.filter((call) => call.conversationId === GENERAL.id))).not.toContain("Milestones");
  });

  it("hands a throttled proactive send to the outbox with its Retry-After, and marks a conversation dead on 403", async () => {
    // Nothing owed by earlier tests may be in flight: it would take the refusals meant for these sends.
    await waitForOutboxSettled(app.database.prisma);
    connector.clear();
    const view = { text: "Proactive test", blocks: [{ type: "text" as const, text: "Proactive test" }] };
    // Sent once: the outbox waits Retry-After and tries again (no retries hidden inside the call).
    connector.failNext(429, { retryAfter: 2 });
    const throttled = await app.teams!.channel.sendDirect(`teams:${ADMIN.aad}`, view).catch((error: unknown) => error);
    expect(app.teams!.channel.classifyError(throttled)).toEqual({ kind: "rateLimited", retryAfterMs: 2000 });
    expect(connector.calls.map((call) => call.kind)).toEqual(["refused 429"]);
    await app.teams!.channel.sendDirect(`teams:${ADMIN.aad}`, view);
    expect(connector.calls.map((call) => call.kind)).toEqual(["refused 429", "reply"]);
    connector.clear();
    connector.failNext(403);
    const outcome = await app.teams!.channel.sendDirect(`teams:${ADMIN.aad}`, view).then(
      () => "sent",
      (error: unknown) => error,
    );
    expect(outcome).toMatchObject({ statusCode: 403 });
    expect(app.teams!.channel.classifyError(Object.assign(new Error("x"), { statusCode: 403 })).kind).toBe("permanent");
    expect(await app.repositories.conversations.findPersonal(`teams:${ADMIN.aad}`)).toBeUndefined();
    await expect(app.teams!.channel.sendDirect(`teams:${ADMIN.aad}`, view)).rejects.toThrow(/no personal Teams conversation/);
    expect(connector.calls.map((call) => call.kind)).toEqual(["refused 403"]);
  });

  it("opens a 1:1 chat for a private answer when none is stored", async () => {
    const stranger: Person = { aad: "aad-new-person", name: "Casey Fox" };
    await say(stranger, GENERAL, "list");
    const created = await connector.waitFor((call) => call.kind === "createConversation", "a new 1:1 conversation");
    expect(created.body.members[0].aadObjectId ?? created.body.members[0].id).toMatch(/aad-new-person/);
    await connector.waitFor(
      (call) => call.conversationId === created.conversationId && ["send", "reply"].includes(call.kind),
      "the answer in it",
    );
    expect((await app.repositories.conversations.findPersonal("teams:aad-new-person"))?.conversationId).toBe(created.conversationId);
  });
});

describe("Teams endpoint security", () => {
  it("takes only loopback addresses, and only local names on the server's own port, as this machine", () => {
    expect(["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"].every(isLoopbackAddress)).toBe(true);
    expect(["10.0.0.5", "192.168.1.2", "::ffff:10.0.0.5", "fe80::1", "", undefined].some(isLoopbackAddress)).toBe(false);
    expect(["localhost:3978", "127.0.0.1:3978", "[::1]:3978"].every((host) => namesThisServer(host, 3978, "host"))).toBe(true);
    expect(namesThisServer("localhost", 80, "host")).toBe(true);
    expect(namesThisServer("http://localhost:3978", 3978, "origin")).toBe(true);
    const refused: Array<[string, "host" | "origin"]> = [
      ["localhost:3979", "host"],
      ["localhost", "host"],
      ["127.0.0.2:3978", "host"],
      ["evil.example:3978", "host"],
      ["localhost:3978@evil.example", "host"],
      ["localhost:3978/x", "host"],
      ["localhost:3978", "origin"],
      ["https://localhost:3978", "origin"],
      ["http://localhost:3978/", "origin"],
      ["null", "origin"],
    ];
    for (const [value, kind] of refused) expect([value, namesThisServer(value, 3978, kind)]).toEqual([value, false]);
  });

  it("with MICROSOFT_APP_ID set, refuses activities without a valid token and leaks no internals", async () => {
    const db = await database.create({ migrate: false });
    const connector = await new BotConnectorStandIn().start();
    // Signing keys would be read here: a loopback address with nothing behind it.
    const app = await startApp(
      loadConfig({
        DATABASE_URL: db.url,
        PORT: "0",
        MICROSOFT_APP_ID: "00000000-0000-0000-0000-000000000001",
        MICROSOFT_APP_PASSWORD: "secret-value",
        MICROSOFT_ALLOWED_TENANTS: "tenant-0001",
      }),
      createLogger("silent"),
      { teamsOpenIdMetadataUrl: "http://127.0.0.1:9/openid" },
    );
    try {
      const url = `http://127.0.0.1:${app.port}/api/messages`;
      const activity = messageActivity(connector.url, REQUESTER, personal(REQUESTER), "help");
      const none = await postActivity(url, activity);
      expect(none.status).toBe(401);
      const forged = await postActivity(url, activity, { authorization: "Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln" });
      expect(forged.status).toBe(401);
      for (const response of [none, forged]) expect(JSON.stringify(response.body)).toBe('{"error":"unauthorized"}');
      expect(connector.calls).toEqual([]);
    } finally {
      await app.close();
      await connector.stop();
      await db.dispose();
    }
  });
});
