import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { requestFormView } from "../../src/chat/forms.js";
import { loadConfig } from "../../src/config.js";
import { submitRequest } from "../../src/core/requests/submit-request.js";
import { createLogger } from "../../src/logger.js";
import { callbackIdOf } from "../../src/slack/ids.js";
import { validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";
import { slackFormValues, stateValues, viewSubmission } from "../helpers/slack-payloads.js";
import { payloadBody, postSigned, slackTestEnv, slashCommandBody } from "../helpers/slack-requests.js";

const TRIAGE = "C0TRIAGE";
/** Instants as the bot names them: "2026-12-02 09:05 PST (America/Los_Angeles)". */
const IN_LOS_ANGELES = /\d{4}-\d\d-\d\d \d\d:\d\d P[SD]T \(America\/Los_Angeles\)/;
const IN_NEW_YORK = /\d{4}-\d\d-\d\d \d\d:\d\d E[SD]T \(America\/New_York\)/;

describe.each(DATABASE_KINDS)("Slack: each reader's time zone and people in both worlds, over real Bolt and HTTP ($name)", (kind) => {
  let db: TestDatabase;
  let slackApi: SlackApiStandIn;
  let app: RunningApp;
  let events: string;
  let viewCounter = 0;

  beforeAll(async () => {
    db = await kind.create({ migrate: false });
    slackApi = await new SlackApiStandIn().start();
    const env = slackTestEnv(db.url, slackApi.url, { SLACK_TRIAGE_CHANNEL: TRIAGE, REMINDER_TIMEZONE: "America/New_York" });
    app = await startApp(loadConfig(env), createLogger("silent"));
    events = `http://127.0.0.1:${app.port}/slack/events`;
  });
  afterAll(async () => {
    await app.close();
    await slackApi.stop();
    await db.dispose();
  });
  beforeEach(() => slackApi.clear());

  async function command(text: string, userId: string) {
    const responseId = Math.random().toString(36).slice(2);
    await postSigned(events, slashCommandBody({ text, userId, responseUrl: `${slackApi.url}/response/${responseId}` }));
    return slackApi.waitFor((call) => call.method === "response_url" && call.body.id === responseId, `the answer to ${text}`);
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

  /** Waits (bounded) until the person behind `key` has `zone` stored: the profile read may finish after the answer. */
  async function zoneStored(key: string, zone: string): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const row = await app.database.prisma.identity.findUnique({ where: { key }, include: { person: true } });
      if (row?.person.timeZone === zone) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`${key} never got ${zone}`);
  }

  const textOf = (call: { body: Record<string, unknown> }) => JSON.stringify(call.body.blocks);

  /** A request mailed in from `address`: what the mailbox reader stores (identity email:<address>). */
  async function mailedRequest(address: string, program: string) {
    const actor = await app.core.people.resolve({ key: `email:${address}`, displayName: address, email: address });
    const { preferredStart, preferredEnd } = slackFormValues();
    const raw = validForm({ program, preferredStart: String(preferredStart), preferredEnd: String(preferredEnd) });
    const result = await submitRequest(app.core, { actor, raw, platform: "email" });
    if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
    return result.request;
  }

  it("shows a user's mailed requests in their chat list once Slack vouches for the address, with instants in their zone", async () => {
    const mailed = await mailedRequest("jordan.lee@army.mil", "Mailed: radar sustainment");
    slackApi.users.set("UJORDAN1", { tz: "America/Los_Angeles", email: "Jordan.Lee@army.mil" });

    await command("help", "UJORDAN1");
    expect(slackApi.callsTo("users.info")).toHaveLength(1);
    expect(slackApi.callsTo("users.info")[0]?.body).toEqual({ user: "UJORDAN1" });
    // The first answer waits for the profile at most 1.5 s (under load it may go first): the link lands either way.
    await linked("email:jordan.lee@army.mil", "slack:UJORDAN1");
    const list = await command("list", "UJORDAN1");
    expect(textOf(list)).toContain(mailed.number);

    const shown = await command(`show ${mailed.number}`, "UJORDAN1");
    const text = textOf(shown);
    expect(text).toMatch(IN_LOS_ANGELES);
    expect(text).not.toMatch(IN_NEW_YORK);
    expect(text).not.toMatch(/\d\d:\d\d UTC/);
    // Calendar dates do not shift with the reader's zone.
    expect(text).toContain(`${slackFormValues().preferredStart} to ${slackFormValues().preferredEnd}`);

    // Read once: the next command asks Slack nothing.
    slackApi.clear();
    await command("list", "UJORDAN1");
    expect(slackApi.callsTo("users.info")).toHaveLength(0);
  });

  it("opens the request form without asking Slack for the profile: the blank form shows no instant", async () => {
    slackApi.users.set("UNEWFORM", { tz: "America/Los_Angeles" });
    await postSigned(events, slashCommandBody({ text: "new", userId: "UNEWFORM", responseUrl: `${slackApi.url}/response/new-form` }));
    await slackApi.waitFor((call) => call.method === "views.open", "the request form");
    // The next command (an answer that can show instants) is where the profile is read.
    const listSentAt = slackApi.calls.length;
    await command("list", "UNEWFORM");
    const reads = slackApi.calls.flatMap((call, index) => (call.method === "users.info" ? [{ index, body: call.body }] : []));
    expect(reads.map((read) => read.body)).toEqual([{ user: "UNEWFORM" }]);
    expect(reads[0]!.index).toBeGreaterThanOrEqual(listSentAt);
  });

  it("reads the profile again after a week", async () => {
    slackApi.users.set("UWEEK001", { tz: "America/Chicago" });
    await command("list", "UWEEK001");
    expect(slackApi.callsTo("users.info")).toHaveLength(1);
    const identity = await app.database.prisma.identity.findUniqueOrThrow({ where: { key: "slack:UWEEK001" } });
    await app.database.prisma.person.update({
      where: { id: identity.personId },
      data: { contactCheckedAt: new Date(Date.now() - 8 * 24 * 60 * 60_000) },
    });
    slackApi.users.set("UWEEK001", { tz: "Europe/Berlin" });
    slackApi.clear();
    await command("list", "UWEEK001");
    expect(slackApi.callsTo("users.info")).toHaveLength(1);
    expect(await app.core.people.contactOf(identity.personId)).toEqual({ timeZone: "Europe/Berlin" });
  });

  it("answers in the configured zone, named, when Slack cannot say (a fault is not the command's)", async () => {
    const mailed = await mailedRequest("no.profile@navy.mil", "Mailed: no profile");
    await app.core.people.resolve({ key: "slack:UNOPROF1", displayName: "No Profile" });
    slackApi.failNext("users.info", 200, { error: "missing_scope" });
    const answer = await command(`show ${mailed.number}`, "UNOPROF1");
    // Not linked (Slack said nothing), so the request is not theirs: refused, and nothing else broke.
    expect(answer.body.text).toMatch(/not found, or you do not have access/);
    expect(slackApi.calls.some((call) => call.method === "users.info (refused 200)")).toBe(true);
    const list = await command("list", "UNOPROF1");
    expect(textOf(list)).not.toContain(mailed.number);
  });

  it("posts the triage card (many readers) in the configured zone, and tells the requester in theirs", async () => {
    slackApi.users.set("UREQZONE", { tz: "America/Los_Angeles" });
    await command("list", "UREQZONE");
    await zoneStored("slack:UREQZONE", "America/Los_Angeles");
    const submitted = await postSigned(
      events,
      payloadBody(
        viewSubmission({
          userId: "UREQZONE",
          callbackId: callbackIdOf("request"),
          viewId: `VZONE${++viewCounter}`,
          state: stateValues(requestFormView(), slackFormValues()),
        }),
      ),
    );
    expect(submitted.status).toBe(200);
    const card = await slackApi.waitFor((call) => call.method === "chat.postMessage" && call.body.channel === TRIAGE, "the triage card");
    expect(textOf(card)).toMatch(IN_NEW_YORK);
    expect(textOf(card)).not.toMatch(IN_LOS_ANGELES);
    const dm = await slackApi.waitFor(
      (call) => call.method === "chat.postMessage" && call.body.channel === "UREQZONE",
      "the requester's notice",
    );
    expect(textOf(dm), textOf(dm)).toMatch(IN_LOS_ANGELES);
    // The form's dates are calendar dates: the same in every zone.
    expect(textOf(dm)).toContain(`${slackFormValues().preferredStart} to ${slackFormValues().preferredEnd}`);
  });
});
