import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { noticeView } from "../../src/chat/present.js";
import { loadConfig } from "../../src/config.js";
import { addDays, dayInZone } from "../../src/core/dates.js";
import { createLogger } from "../../src/logger.js";
import { isLoopbackAddress, loopbackOnly } from "../../src/teams/loopback-guard.js";
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

const sqlite = DATABASE_KINDS.find((kind) => kind.name === "sqlite")!;
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
    db = await sqlite.create({ migrate: false });
    connector = await new BotConnectorStandIn().start();
    app = await startApp(loadConfig({ DATABASE_URL: db.url, PORT: "0", ADMIN_USERS: `teams:${ADMIN.aad}` }), createLogger("silent"));
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

  function buttonData(card: unknown, verb: string): Record<string, unknown> {
    const found: Array<{ verb?: string; data?: Record<string, unknown> }> = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        const element = node as { type?: string; verb?: string; data?: Record<string, unknown> };
        if (element.type === "Action.Execute") found.push(element);
        Object.values(node).forEach(walk);
      }
    };
    walk(card);
    const action = found.find((candidate) => candidate.verb === verb);
    if (!action?.data) throw new Error(`no ${verb} button`);
    return action.data;
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
    expect(body[emailIndex + 1]).toMatchObject({
      type: "RichTextBlock",
      inlines: [{ color: "Attention", text: expect.stringMatching(/valid address/) }],
    });
    expect(cardText(response.body.value)).toMatch(/at most 500/);
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
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await app.database.prisma.maRequest.count()).toBe(before + 1);
    expect(connector.messages().filter((call) => call.conversationId === TRIAGE.id)).toHaveLength(1);
  });

  it("answers a resent message activity once", async () => {
    const activity = messageActivity(connector.url, REQUESTER, personal(REQUESTER), "list");
    await postActivity(endpoint, activity);
    await postActivity(endpoint, activity);
    await connector.waitFor((call) => call.conversationId === personal(REQUESTER).id, "the list");
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(connector.messages().filter((call) => call.conversationId === personal(REQUESTER).id)).toHaveLength(1);
  });

  it("lets faculty accept from the triage card: card updated for everyone, requester told in their 1:1 chat", async () => {
    const { number, posted } = await submitGood();
    const accept = buttonData(posted.body.attachments[0].content, "ma_accept");
    const form = await invoke(FACULTY, TRIAGE, "ma_accept", accept, posted.activityId);
    expect(cardText(form.body.value)).toMatch(/Morgan Hale \(\d+\)/);
    const faculty = await app.repositories.people.resolve({ key: `teams:${FACULTY.aad}` });
    connector.clear();
    const done = await invoke(FACULTY, TRIAGE, "ma_form_accept", { state: accept.value, leadId: faculty.id, note: "" }, posted.activityId);
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
  });

  it("replies under a channel card in its thread", async () => {
    const { posted } = await submitGood();
    connector.clear();
    await app.teams!.channel.replyToCard({ conversationId: TRIAGE.id, messageId: posted.activityId ?? "" }, noticeView("⏰ waiting"));
    const reply = await connector.waitFor((call) => call.conversationId.startsWith(TRIAGE.id), "the thread reply");
    expect(reply.conversationId).toBe(`${TRIAGE.id};messageid=${posted.activityId}`);
    expect(cardText(reply.body)).toContain("⏰ waiting");
  });

  it("lets faculty back out of a move's form with Cancel, changing nothing", async () => {
    const { number, posted } = await submitGood();
    const form = await invoke(FACULTY, TRIAGE, "ma_decline", buttonData(posted.body.attachments[0].content, "ma_decline"));
    expect(JSON.stringify(form.body.value)).toContain('"id":"reason"');
    const back = await invoke(FACULTY, TRIAGE, "ma_cancel", buttonData(form.body.value, "ma_cancel"));
    expect(cardText(back.body.value)).toContain(number);
    expect(JSON.stringify(back.body.value)).toContain('"verb":"ma_decline"');
    const stored = await app.database.prisma.maRequest.findUniqueOrThrow({ where: { number } });
    expect([stored.status, stored.version]).toEqual(["SUBMITTED", 1]);
  });

  it("gives a requester who clicks a faculty button an error card and changes nothing", async () => {
    const { number, posted } = await submitGood();
    const response = await invoke(REQUESTER, TRIAGE, "ma_accept", buttonData(posted.body.attachments[0].content, "ma_accept"));
    expect(cardText(response.body.value)).toMatch(/Only faculty can accept and assign/);
    const stored = await app.database.prisma.maRequest.findUniqueOrThrow({ where: { number } });
    expect([stored.status, stored.version]).toEqual(["SUBMITTED", 1]);
  });

  it("refuses a stale click with the current card", async () => {
    const { posted } = await submitGood();
    const data = buttonData(posted.body.attachments[0].content, "ma_askInfo");
    const asked = await invoke(FACULTY, TRIAGE, "ma_form_askInfo", { state: data.value, question: "Which LOR version?" });
    expect(cardText(asked.body.value)).toMatch(/Waiting for the requester: Which LOR version\?/);
    expect(cardText(asked.body.value).split("Which LOR version?")).toHaveLength(2);
    const stale = await invoke(FACULTY, TRIAGE, "ma_decline", data);
    expect(cardText(stale.body.value)).toMatch(/changed since you opened it/);
    expect(cardText(stale.body.value)).toMatch(/Needs info/);
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

  it("retries a throttled proactive send after Retry-After, and marks a conversation dead on 403", async () => {
    const view = { text: "Proactive test", blocks: [{ type: "text" as const, text: "Proactive test" }] };
    connector.failNext(429, { retryAfter: 0 });
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
  it("accepts only loopback peers when no app id is configured, never trusting X-Forwarded-For", () => {
    expect(["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"].every(isLoopbackAddress)).toBe(true);
    expect(["10.0.0.5", "192.168.1.2", "::ffff:10.0.0.5", "fe80::1", "", undefined].some(isLoopbackAddress)).toBe(false);
    const guard = loopbackOnly();
    const outcome = (remoteAddress: string, headers: Record<string, string> = {}) => {
      let status = 0;
      let passed = false;
      const res = {
        status: (code: number) => ({
          json: () => {
            status = code;
          },
        }),
      };
      guard({ socket: { remoteAddress }, headers } as never, res as never, () => {
        passed = true;
      });
      return passed ? "next" : status;
    };
    expect(outcome("10.1.2.3")).toBe(401);
    expect(outcome("10.1.2.3", { "x-forwarded-for": "127.0.0.1" })).toBe(401);
    expect(outcome("127.0.0.1")).toBe("next");
  });

  it("with MICROSOFT_APP_ID set, refuses activities without a valid token and leaks no internals", async () => {
    const db = await sqlite.create({ migrate: false });
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
