import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { requestFormView } from "../../src/chat/forms.js";
import { makeMove } from "../../src/chat/interactions/request-outcomes.js";
import { loadConfig } from "../../src/config.js";
import { dayInZone } from "../../src/core/dates.js";
import type { Move } from "../../src/core/requests/workflow.js";
import { createLogger } from "../../src/logger.js";
import { callbackIdOf } from "../../src/slack/ids.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { type RecordedCall, SlackApiStandIn } from "../helpers/slack-api.js";
import { slackFormValues, stateValues, viewSubmission } from "../helpers/slack-payloads.js";
import { payloadBody, postSigned, slackTestEnv, slashCommandBody } from "../helpers/slack-requests.js";

const REQUESTER = "UREQ01";
const OTHER = "UREQ02";
const DANA = "UFAC01";
const LEE = "UFAC02";
const TRIAGE = "C0TRIAGE";
const MARKER = "ZQX-SLACK-NOTE-2291";

describe.each(DATABASE_KINDS)("notes, reopen and merge over real Bolt and HTTP on $name", (kind) => {
  let db: TestDatabase;
  let slackApi: SlackApiStandIn;
  let app: RunningApp;
  let events: string;
  let counter = 0;
  const today = dayInZone(new Date(), "America/New_York");

  beforeAll(async () => {
    db = await kind.create({ migrate: false });
    slackApi = await new SlackApiStandIn().start();
    app = await startApp(loadConfig(slackTestEnv(db.url, slackApi.url, { SLACK_TRIAGE_CHANNEL: TRIAGE })), createLogger("silent"), {
      reminders: false,
    });
    events = `http://127.0.0.1:${app.port}/slack/events`;
    for (const [id, name] of [
      [DANA, "Dana Ruiz"],
      [LEE, "Lee Park"],
    ] as const) {
      await app.repositories.people.grant(`slack:${id}`, { role: "faculty" }, "test");
      await app.repositories.people.resolve({ key: `slack:${id}`, displayName: name });
    }
  });
  afterAll(async () => {
    await app.close();
    await slackApi.stop();
    await db.dispose();
  });

  async function command(text: string, userId: string): Promise<string> {
    const id = `r${++counter}`;
    const response = await postSigned(
      events,
      slashCommandBody({ text, userId, channelId: `D${userId}`, responseUrl: `${slackApi.url}/response/${id}` }),
    );
    expect(response.status).toBe(200);
    const answer = await slackApi.waitFor((call) => call.method === "response_url" && call.body.id === id, `the answer to "${text}"`);
    return JSON.stringify(answer.body);
  }

  async function submitRequest(userId: string): Promise<{ id: string; number: string; card: RecordedCall }> {
    const before = slackApi.calls.length;
    await postSigned(
      events,
      payloadBody(
        viewSubmission({
          userId,
          callbackId: callbackIdOf("request"),
          viewId: `VREQ${++counter}`,
          state: stateValues(requestFormView(), slackFormValues()),
        }),
      ),
    );
    const card = await slackApi.waitFor(
      (call) => slackApi.calls.indexOf(call) >= before && call.method === "chat.postMessage" && call.body.channel === TRIAGE,
      "the triage card",
    );
    const row = await app.database.prisma.maRequest.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    return { id: row.id, number: row.number, card };
  }

  async function move(userId: string, requestId: string, made: Move): Promise<void> {
    const actor = await app.repositories.people.resolve({ key: `slack:${userId}` });
    const { version } = await app.database.prisma.maRequest.findUniqueOrThrow({ where: { id: requestId } });
    const outcome = await makeMove(app.interaction, actor, { requestId, version }, made);
    expect(outcome.kind).toBe("done");
  }

  /** The request's triage card updated in place (its number in the header) with `includes` on it. */
  const cardUpdate = (request: { number: string }, includes: string, after: number) =>
    slackApi.waitFor(
      (call) =>
        slackApi.calls.indexOf(call) >= after &&
        call.method === "chat.update" &&
        call.body.channel === TRIAGE &&
        String(call.body.text).startsWith(`${request.number}:`) &&
        JSON.stringify(call.body.blocks).includes(includes),
      `the card redrawn with "${includes}"`,
    );

  it("puts a note on the triage card and in faculty's show, never in the requester's", async () => {
    const request = await submitRequest(REQUESTER);
    expect(await command(`note ${request.number} ${MARKER} check the funding line`, REQUESTER)).toContain(
      "Only faculty can add internal notes.",
    );
    const before = slackApi.calls.length;
    expect(await command(`note ${request.number} ${MARKER} check the funding line`, DANA)).toContain("Internal note added");
    const update = await cardUpdate(request, MARKER, before);
    expect(JSON.stringify(update.body.blocks)).toContain("Internal notes (faculty only)");
    expect(await command(`show ${request.number}`, DANA)).toContain(`${MARKER} check the funding line`);
    expect(await command(`show ${request.number}`, REQUESTER)).not.toContain(MARKER);
    // Nothing sent to the requester carries it.
    const toRequester = slackApi.calls.filter((call) => JSON.stringify(call.body).includes(MARKER) && call.body.channel === REQUESTER);
    expect(toRequester).toEqual([]);
  });

  it("reopens a delivered request to its lead, redrawing the card in place and telling the lead", async () => {
    const request = await submitRequest(REQUESTER);
    const lee = await app.repositories.people.resolve({ key: `slack:${LEE}` });
    await move(DANA, request.id, { kind: "accept", leadId: lee.id });
    await move(LEE, request.id, { kind: "schedule", start: today, end: today });
    await move(LEE, request.id, { kind: "deliver" });
    await cardUpdate(request, "Marked delivered", 0);
    const before = slackApi.calls.length;
    const answer = await command(`reopen ${request.number} The partner wants a second session on pricing.`, REQUESTER);
    expect(answer).toContain(`${request.number}: Reopened by`);
    expect(answer).toContain("back with its lead, Lee Park");
    const update = await cardUpdate(request, "Reopened by", before);
    expect(JSON.stringify(update.body.blocks)).toContain("ma_schedule");
    const told = await slackApi.waitFor(
      (call) => slackApi.calls.indexOf(call) >= before && call.method === "chat.postMessage" && call.body.channel === LEE,
      "the lead told",
    );
    expect(String(told.body.text)).toContain("The partner wants a second session on pricing.");
    // In place: no new card posted for it.
    expect(
      slackApi.calls
        .slice(before)
        .filter(
          (call) =>
            call.method === "chat.postMessage" && call.body.channel === TRIAGE && JSON.stringify(call.body).includes(request.number),
        ),
    ).toEqual([]);
    const row = await app.database.prisma.maRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect([row.status, row.scheduledStart, row.leadId]).toEqual(["ACCEPTED", null, lee.id]);
  });

  it("merges a duplicate: both cards redrawn, its requester told once and then told of the other's changes", async () => {
    const a = await submitRequest(REQUESTER);
    const b = await submitRequest(OTHER);
    const before = slackApi.calls.length;
    expect(await command(`merge ${b.number} into ${a.number}`, DANA)).toContain(`${b.number} closed as a duplicate of ${a.number}.`);
    await cardUpdate(b, `Merged into ${a.number}`, before);
    await cardUpdate(a, `${b.number} merged into it`, before);
    const told = await slackApi.waitFor(
      (call) => slackApi.calls.indexOf(call) >= before && call.method === "chat.postMessage" && call.body.channel === OTHER,
      "the duplicate's requester told",
    );
    expect(String(told.body.text)).toBe(
      `${b.number} was closed as a duplicate of ${a.number}. You now follow ${a.number}: you will be told of its changes, and it is listed with your requests.`,
    );
    expect(await command("list", OTHER)).toContain(a.number);
    expect(await command(`show ${b.number}`, OTHER)).toContain(`Duplicate of ${a.number}`);
    const lee = await app.repositories.people.resolve({ key: `slack:${LEE}` });
    const later = slackApi.calls.length;
    await move(DANA, a.id, { kind: "accept", leadId: lee.id });
    const followerNotice = await slackApi.waitFor(
      (call) => slackApi.calls.indexOf(call) >= later && call.method === "chat.postMessage" && call.body.channel === OTHER,
      "the follower told of the accept",
    );
    expect(JSON.stringify(followerNotice.body.blocks)).toContain("You follow this request");
    // The follower's card has nothing of what the other requester filed.
    expect(JSON.stringify(followerNotice.body.blocks)).not.toContain("Point of contact");
    expect(
      slackApi.calls.filter(
        (call) =>
          call.method === "chat.postMessage" && call.body.channel === OTHER && String(call.body.text).includes("was closed as a duplicate"),
      ),
    ).toHaveLength(1);
  });
});
