import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { currentAudience, owedForNewRequest } from "../../src/chat/owed.js";
import { loadConfig } from "../../src/config.js";
import { addDays, dayInZone } from "../../src/core/dates.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import { createLogger } from "../../src/logger.js";
import { BotConnectorStandIn } from "../helpers/bot-connector.js";
import { validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { type Conversation, installActivity, messageActivity, type Person, postActivity } from "../helpers/teams-activities.js";

const RILEY: Person = { aad: "aad-riley-zone", name: "Riley Chen" };
const MORGAN: Person = { aad: "aad-morgan-zone", name: "Morgan Hale" };
const ADMIN: Person = { aad: "aad-admin-zone", name: "Alex Kim" };
const TRIAGE: Conversation = { id: "19:triage-zone@thread.tacv2", type: "channel" };
const personal = (person: Person): Conversation => ({ id: `a:dm-${person.aad}`, type: "personal" });
const IN_TOKYO = /\d{4}-\d\d-\d\d \d\d:\d\d GMT\+9 \(Asia\/Tokyo\)/;
const IN_NEW_YORK = /\d{4}-\d\d-\d\d \d\d:\d\d E[SD]T \(America\/New_York\)/;

describe.each(DATABASE_KINDS)("Teams: each reader's time zone and people in both worlds, over real teams-ai and HTTP ($name)", (kind) => {
  let db: TestDatabase;
  let connector: BotConnectorStandIn;
  let app: RunningApp;
  let endpoint: string;

  beforeAll(async () => {
    db = await kind.create({ migrate: false });
    connector = await new BotConnectorStandIn().start();
    const env = { DATABASE_URL: db.url, PORT: "0", ADMIN_USERS: `teams:${ADMIN.aad}`, REMINDER_TIMEZONE: "America/New_York" };
    app = await startApp(loadConfig(env), createLogger("silent"));
    endpoint = `http://127.0.0.1:${app.port}/api/messages`;
    for (const person of [RILEY, MORGAN, ADMIN]) {
      expect((await postActivity(endpoint, installActivity(connector.url, person, personal(person)))).status).toBe(200);
    }
    await postActivity(endpoint, messageActivity(connector.url, ADMIN, TRIAGE, "triage-here"));
    await connector.waitFor(
      (call) => call.conversationId === TRIAGE.id && JSON.stringify(call.body).includes("faculty triage"),
      "triage-here",
    );
  });
  afterAll(async () => {
    await app.close();
    await connector.stop();
    await db.dispose();
  });
  beforeEach(() => connector.clear());

  /** Sends a typed command in the person's 1:1 chat and returns the text of the answer. */
  async function say(person: Person, text: string, localTimezone?: string): Promise<string> {
    connector.clear();
    const response = await postActivity(endpoint, messageActivity(connector.url, person, personal(person), text, { localTimezone }));
    expect(response.status).toBe(200);
    const answer = await connector.waitFor(
      (call) => (call.kind === "reply" || call.kind === "send") && call.conversationId === personal(person).id,
      `the answer to ${text}`,
    );
    return JSON.stringify(answer.body);
  }

  /** Waits (bounded) until `mailKey` belongs to the same person as `chatKey`. */
  async function linked(mailKey: string, chatKey: string): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const rows = await app.database.prisma.identity.findMany({ where: { key: { in: [mailKey, chatKey] } } });
      if (rows.length === 2 && rows[0]?.personId === rows[1]?.personId) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`${mailKey} was never linked to ${chatKey}`);
  }

  /** A request mailed in from `address`, owing its triage card as the mailbox reader's would. */
  async function mailedRequest(address: string, program: string) {
    const actor = await app.core.people.resolve({ key: `email:${address}`, displayName: address, email: address });
    const start = addDays(dayInZone(new Date(), "America/New_York"), 30);
    const audience = await currentAudience(app.core, app.channels);
    const result = await submitRequest(app.core, {
      actor,
      raw: validForm({ program, preferredStart: start, preferredEnd: addDays(start, 1) }),
      platform: "email",
      owe: (request) => owedForNewRequest(audience, request),
    });
    if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
    app.interaction.wake();
    return result.request;
  }

  it("links the mailed requests of a user whose directory address matches, and shows instants in the zone Teams sends", async () => {
    connector.members.set(`29:${RILEY.aad}`, { email: "Riley.Chen@navy.mil", userPrincipalName: "riley.chen@navy.mil" });
    const mailed = await mailedRequest("riley.chen@navy.mil", "Mailed: frigate sustainment");
    // Posted in the triage channel (many readers): the configured zone, named.
    const card = await connector.waitFor(
      (call) => call.conversationId === TRIAGE.id && JSON.stringify(call.body).includes(mailed.number),
      "the mailed request's triage card",
    );
    expect(JSON.stringify(card.body)).toMatch(IN_NEW_YORK);
    connector.clear();

    // The first answer waits for the roster at most 1.5 s (under load it may go first): the link lands either way.
    await say(RILEY, "help", "Asia/Tokyo");
    await linked(`email:riley.chen@navy.mil`, `teams:${RILEY.aad}`);
    const list = await say(RILEY, "list", "Asia/Tokyo");
    expect(list).toContain(mailed.number);
    const shown = await say(RILEY, `show ${mailed.number}`, "Asia/Tokyo");
    expect(shown).toMatch(IN_TOKYO);
    expect(shown).not.toMatch(IN_NEW_YORK);
    // Calendar dates do not move with the reader.
    expect(shown).toContain(`${mailed.form.preferredStart} to ${mailed.form.preferredEnd}`);
    // The roster is read once a week, not per message.
    await say(RILEY, "list", "Asia/Tokyo");
    expect(await app.database.prisma.person.count({ where: { timeZone: "Asia/Tokyo" } })).toBe(1);
  });

  it("reads the roster once per person per week", async () => {
    const calls = () => connector.rosterReads.filter((call) => call.conversationId === personal(MORGAN).id).length;
    await say(MORGAN, "list", "Europe/Berlin");
    expect(calls()).toBe(1);
    expect(await app.database.prisma.person.count({ where: { timeZone: "Europe/Berlin" } })).toBe(1);
    await say(MORGAN, "list", "Europe/Berlin");
    expect(calls()).toBe(1);
  });

  it("answers in the configured zone, named, when Teams sends none, and links nothing without a directory address", async () => {
    const mailed = await mailedRequest("someone.else@navy.mil", "Mailed: someone else's");
    const person: Person = { aad: "aad-no-zone", name: "No Zone" };
    await postActivity(endpoint, installActivity(connector.url, person, personal(person)));
    connector.clear();
    const list = await say(person, "list");
    expect(list).not.toContain(mailed.number);
    const shown = await say(person, `show ${mailed.number}`);
    expect(shown).toMatch(/not found, or you do not have access/);
    // An admin whose client sent no zone reads the request in the configured one, named.
    const forAdmin = await say(ADMIN, `show ${mailed.number}`);
    expect(forAdmin).toMatch(IN_NEW_YORK);
    expect(forAdmin).not.toMatch(/\d\d:\d\d UTC/);
  });
});
