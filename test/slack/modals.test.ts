import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { requestFormView } from "../../src/chat/forms.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { callbackIdOf, NEW_REQUEST_ACTION } from "../../src/slack/ids.js";
import { END_TO_END_DATABASE, type TestDatabase } from "../helpers/databases.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";
import { blockAction, slackFormValues, stateValues, viewSubmission } from "../helpers/slack-payloads.js";
import { payloadBody, postSigned, slackTestEnv, slashCommandBody } from "../helpers/slack-requests.js";

const database = END_TO_END_DATABASE;
const REQUESTER = "UREQ01";
const FACULTY = "UFAC01";
const TRIAGE = "C0TRIAGE";

/**
 * views.open can fail after the ack (the trigger expired, Slack is limiting or down): the
 * person must hear what happened and what to do, not nothing. Each failure is answered by
 * the Slack stand-in; what reached response_url is what they read.
 */
describe("Slack views.open failures, through real Bolt over HTTP", () => {
  let db: TestDatabase;
  let slackApi: SlackApiStandIn;
  let app: RunningApp;
  let events: string;
  let counter = 0;

  beforeAll(async () => {
    db = await database.create({ migrate: false });
    slackApi = await new SlackApiStandIn().start();
    app = await startApp(loadConfig(slackTestEnv(db.url, slackApi.url, { SLACK_TRIAGE_CHANNEL: TRIAGE })), createLogger("silent"), {
      reminders: false,
    });
    events = `http://127.0.0.1:${app.port}/slack/events`;
    await app.repositories.people.grant(`slack:${FACULTY}`, { role: "faculty" }, "test");
  });
  afterAll(async () => {
    await app.close();
    await slackApi.stop();
    await db.dispose();
  });
  beforeEach(() => slackApi.clear());

  /** `/ma new` as Slack sends it; resolves with what the bot posted to its response_url. */
  async function newRequest() {
    const id = `new-${++counter}`;
    const response = await postSigned(
      events,
      slashCommandBody({ text: "new", userId: REQUESTER, responseUrl: `${slackApi.url}/response/${id}` }),
    );
    expect(response.status).toBe(200);
    return slackApi.waitFor((call) => call.method === "response_url" && call.body.id === id, "an answer through response_url");
  }

  const failures: Array<{ name: string; fail: () => void; says: RegExp }> = [
    {
      name: "expired_trigger_id",
      fail: () => slackApi.failNext("views.open", 200, { error: "expired_trigger_id" }),
      says: /^The form did not open: Slack allows only 3 seconds to open it, and that passed\. Please run .\/ma new. again\.$/,
    },
    {
      name: "HTTP 429 with Retry-After: 20",
      fail: () => slackApi.failNext("views.open", 429, { retryAfter: 20, error: "ratelimited" }),
      says: /^Slack is limiting how fast forms open right now\. Please wait 20 seconds, then run .\/ma new. again\.$/,
    },
    {
      name: "ok: false, error: ratelimited",
      fail: () => slackApi.failNext("views.open", 200, { error: "ratelimited" }),
      says: /^Slack is limiting how fast forms open right now\. Please wait 30 seconds/,
    },
    {
      name: "HTTP 503",
      fail: () => slackApi.failNext("views.open", 503, { error: "service_unavailable" }),
      says: /^Slack could not open the form just now \(a problem on Slack's side\)\. Please run .\/ma new. again in a minute\.$/,
    },
    {
      name: "HTTP 500",
      fail: () => slackApi.failNext("views.open", 500, { error: "internal_error" }),
      says: /a problem on Slack's side/,
    },
    {
      name: "ok: false, error: internal_error",
      fail: () => slackApi.failNext("views.open", 200, { error: "internal_error" }),
      says: /a problem on Slack's side/,
    },
  ];

  for (const failure of failures) {
    it(`/ma new when views.open answers ${failure.name}: tells the person what to do, privately`, async () => {
      failure.fail();
      const answer = await newRequest();
      expect(answer.body.text).toMatch(failure.says);
      expect(answer.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
      expect(slackApi.calls.filter((call) => call.method.startsWith("views.open"))).toHaveLength(1);
      // Pressing again works: the next views.open is answered.
      slackApi.clear();
      const again = `again-${counter}`;
      await postSigned(events, slashCommandBody({ text: "new", userId: REQUESTER, responseUrl: `${slackApi.url}/response/${again}` }));
      await slackApi.waitFor((call) => call.method === "views.open", "the form, the second time");
    });
  }

  it("a failure that is ours (invalid_arguments) gets an apology, never Slack's words", async () => {
    slackApi.failNext("views.open", 200, { error: "invalid_arguments" });
    const answer = await newRequest();
    expect(answer.body.text).toBe("We could not open the form. Please run `/ma new` again.");
  });

  it("a card button whose form does not open says to press it again, through that click's response_url", async () => {
    const submitted = await postSigned(
      events,
      payloadBody(
        viewSubmission({
          userId: REQUESTER,
          callbackId: callbackIdOf("request"),
          viewId: "VMODALS1",
          state: stateValues(requestFormView(), slackFormValues()),
        }),
      ),
    );
    expect(submitted.status).toBe(200);
    const card = await slackApi.waitFor((call) => call.method === "chat.postMessage" && call.body.channel === TRIAGE, "the triage card");
    const blocks = card.body.blocks as Array<{ elements?: Array<{ action_id: string; value: string }> }>;
    const accept = blocks.flatMap((block) => block.elements ?? []).find((element) => element.action_id === "ma_accept");
    slackApi.failNext("views.open", 200, { error: "expired_trigger_id" });
    await postSigned(
      events,
      payloadBody(
        blockAction({ userId: FACULTY, actionId: "ma_accept", value: accept!.value, responseUrl: `${slackApi.url}/response/accept` }),
      ),
    );
    const answer = await slackApi.waitFor((call) => call.method === "response_url" && call.body.id === "accept", "the answer to the click");
    expect(answer.body.text).toMatch(/Slack allows only 3 seconds to open it, and that passed\. Please press the button again\./);
    // The card itself is left alone: an ephemeral answer, never a replacement.
    expect(answer.body.replace_original).toBe(false);
    expect(slackApi.callsTo("chat.update")).toHaveLength(0);
  });

  it("App Home's New request (no response_url) answers by DM", async () => {
    slackApi.failNext("views.open", 503);
    const action = {
      ...blockAction({ userId: REQUESTER, actionId: NEW_REQUEST_ACTION, value: "new" }),
      container: { type: "view", view_id: "VHOME" },
    };
    await postSigned(events, payloadBody(action));
    const dm = await slackApi.waitFor((call) => call.method === "chat.postMessage" && call.body.channel === REQUESTER, "a DM");
    expect(dm.body.text).toMatch(/a problem on Slack's side\)\. Please press the button again in a minute\./);
  });
});
