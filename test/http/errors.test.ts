import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { requestFormView } from "../../src/chat/forms.js";
import { loadConfig } from "../../src/config.js";
import { validateRequestForm } from "../../src/core/requests/request-form.js";
import { createLogger } from "../../src/logger.js";
import { callbackIdOf } from "../../src/slack/ids.js";
import { cardText } from "../helpers/bot-connector.js";
import { END_TO_END_DATABASE, type TestDatabase } from "../helpers/databases.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";
import { slackFormValues, stateValues, viewSubmission } from "../helpers/slack-payloads.js";
import { payloadBody, postSigned, slackTestEnv } from "../helpers/slack-requests.js";
import { invokeActivity, postActivity } from "../helpers/teams-activities.js";

const database = END_TO_END_DATABASE;
/** Text that must never be echoed or logged: it stands for what a person typed. */
const SECRET = "SECRET-FORM-CONTENT-4711";

/** Every route's failures over real HTTP: JSON with the status, no stack, no body in a log or on stderr. */
describe("HTTP errors on Slack's and Teams' routes", () => {
  let db: TestDatabase;
  let slackApi: SlackApiStandIn;
  let app: RunningApp;
  let base: string;
  const logLines: string[] = [];
  const stderr: string[] = [];

  beforeAll(async () => {
    db = await database.create({ migrate: false });
    slackApi = await new SlackApiStandIn().start();
    const logger = createLogger("debug", { write: (line: string) => logLines.push(line) });
    app = await startApp(loadConfig(slackTestEnv(db.url, slackApi.url, { TEAMS_LOCAL: "1", LOG_LEVEL: "debug" })), logger, {
      reminders: false,
    });
    base = `http://127.0.0.1:${app.port}`;
    const write = process.stderr.write.bind(process.stderr);
    vi.spyOn(process.stderr, "write").mockImplementation((chunk, ...rest) => {
      stderr.push(String(chunk));
      return write(chunk, ...(rest as []));
    });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await app.close();
    await slackApi.stop();
    await db.dispose();
  });
  afterEach(() => {
    expect(logLines.join("\n")).not.toContain(SECRET);
    expect(stderr.join("\n")).not.toContain(SECRET);
  });

  async function expectJsonError(response: Response, status: number) {
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as { error: string };
    expect(Object.keys(body)).toEqual(["error"]);
    expect(body.error).not.toMatch(/ at |Error|SyntaxError|<html|\{/i);
    return body.error;
  }

  it("answers a malformed JSON activity with 400 JSON, not Express's HTML stack trace, and never prints the body", async () => {
    const response = await fetch(`${base}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"type":"message","text":"${SECRET}`,
    });
    expect(await expectJsonError(response, 400)).toBe("bad request");
    expect(logLines.some((line) => line.includes('"status":400') && line.includes("entity.parse.failed"))).toBe(true);
  });

  it("answers an activity over 1 MB with 413 JSON", async () => {
    const response = await fetch(`${base}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "message", text: SECRET.repeat(60_000) }),
    });
    expect(await expectJsonError(response, 413)).toBe("request too large");
  });

  it("answers a path no route serves with 404 JSON", async () => {
    await expectJsonError(await fetch(`${base}/admin?q=${SECRET}`), 404);
    await expectJsonError(await fetch(`${base}/slack/events`), 404);
  });

  it("answers an unsigned or stale Slack request with 401 JSON", async () => {
    await expectJsonError(await postSigned(`${base}/slack/events`, payloadBody({ type: SECRET }), { signature: "v0=00" }), 401);
    const stale = Math.floor(Date.now() / 1000) - 3600;
    await expectJsonError(await postSigned(`${base}/slack/events`, payloadBody({ type: SECRET }), { timestamp: stale }), 401);
  });

  it("answers a signed Slack payload that is not JSON with 400 JSON, and logs no part of it", async () => {
    const response = await postSigned(`${base}/slack/events`, `payload=${encodeURIComponent(`{"type":"block_actions","x":"${SECRET}`)}`);
    await expectJsonError(response, 400);
    expect(logLines.some((line) => line.includes("Parsing request body failed"))).toBe(true);
  });

  it("answers a Slack body over 4 MB with 413 JSON", async () => {
    await expectJsonError(await postSigned(`${base}/slack/events`, `payload=${"x".repeat(4_300_000)}`), 413);
  });

  it("refuses a 1 MB related-cases list on a Slack modal at once, without storing anything", async () => {
    const before = await app.database.prisma.maRequest.count();
    const values = { ...slackFormValues(), relatedCases: "BN-B-SAA,".repeat(110_000) };
    const payload = viewSubmission({
      userId: "UFLOOD",
      callbackId: callbackIdOf("request"),
      viewId: "VBIG",
      state: stateValues(requestFormView(), values),
    });
    const response = await postSigned(`${base}/slack/events`, payloadBody(payload));
    expect(await response.json()).toEqual({ response_action: "errors", errors: { relatedCases: "At most 20 related cases" } });
    expect(await app.database.prisma.maRequest.count()).toBe(before);
  });

  it("refuses a 1 MB related-cases list on a Teams form card with the card and the error beside the field", async () => {
    const activity = invokeActivity(
      "http://127.0.0.1:9/",
      { aad: "aad-flood", name: "Flood" },
      { id: "a:dm-flood", type: "personal" },
      "ma_form_request",
      { relatedCases: "BN-B-SAA;".repeat(110_000), state: "" },
    );
    // On a connection of its own, so no connection kept alive from the test before is involved.
    // (This test was seen reset, ECONNRESET after about 5.7 s, on SQLite under load with the
    // outbox claims change of b3695d1, and still with its own connection: the cause is not known.)
    const response = await postActivity(`${base}/api/messages`, activity, { connection: "close" });
    expect(response.status).toBe(200);
    expect(cardText(response.body.value)).toContain("At most 20 related cases");
  });
});

describe("validateRequestForm's caps", () => {
  it("refuses a long list by its length, before reading a single item", () => {
    let reads = 0;
    const items = new Proxy(
      Array.from({ length: 100_000 }, () => "BN-B-SAA"),
      {
        get(target, key, receiver) {
          if (typeof key === "string" && /^\d+$/.test(key)) reads++;
          return Reflect.get(target, key, receiver);
        },
      },
    );
    const result = validateRequestForm({ relatedCases: items, effortTypes: ["FMS"] }, "2026-03-02");
    expect(result).toEqual({ ok: false, fieldErrors: { relatedCases: "At most 20 related cases" } });
    expect(reads).toBe(0);
  });

  it("refuses text far over any field's limit by its length, and still takes 20 related cases", () => {
    expect(validateRequestForm({ problemStatement: "x".repeat(5_000) }, "2026-03-02")).toEqual({
      ok: false,
      fieldErrors: { problemStatement: "At most 3,000 characters (this has 5,000)" },
    });
    const twenty = Array.from({ length: 20 }, (_, index) => `BN-B-S${String(index).padStart(2, "0")}`).join(", ");
    const result = validateRequestForm({ relatedCases: twenty }, "2026-03-02");
    expect(result.ok ? {} : result.fieldErrors.relatedCases).toBeUndefined();
  });
});
