import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { requestFormView } from "../../src/chat/forms.js";
import { loadConfig } from "../../src/config.js";
import { fixedClock } from "../../src/core/clock.js";
import { isAppError } from "../../src/core/errors.js";
import { CommandRate } from "../../src/core/limits/rate-limits.js";
import { createLogger } from "../../src/logger.js";
import { callbackIdOf } from "../../src/slack/ids.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";
import { slackFormValues, stateValues, viewSubmission } from "../helpers/slack-payloads.js";
import { payloadBody, postSigned, slackTestEnv, slashCommandBody } from "../helpers/slack-requests.js";

const CONTACT = "dsmc-i@dau.edu";

/** Per-person limits through real Bolt over HTTP, with two replicas on one database. */
describe.each(DATABASE_KINDS)("per-person rate limits on $name", (kind) => {
  let db: TestDatabase;
  let slackApi: SlackApiStandIn;
  let replicas: RunningApp[];
  const logLines: string[] = [];
  let viewCounter = 0;

  beforeAll(async () => {
    db = await kind.create({ migrate: false });
    slackApi = await new SlackApiStandIn().start();
    const env = slackTestEnv(db.url, slackApi.url, {
      SLACK_TRIAGE_CHANNEL: "C0TRIAGE",
      MA_REQUESTS_PER_HOUR: "3",
      MA_COMMANDS_PER_MINUTE: "5",
      MA_CONTACT_EMAIL: CONTACT,
      LOG_LEVEL: "info",
    });
    const logger = createLogger("info", { write: (line: string) => logLines.push(line) });
    replicas = [];
    for (let index = 0; index < 2; index++) replicas.push(await startApp(loadConfig(env), logger, { reminders: false, dispatch: false }));
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await slackApi.stop();
    await db.dispose();
  });
  beforeEach(() => {
    logLines.length = 0;
  });

  const events = (replica: number) => `http://127.0.0.1:${replicas[replica]!.port}/slack/events`;
  const prisma = () => replicas[0]!.database.prisma;

  async function submit(userId: string, replica: number, values = slackFormValues()) {
    const viewId = `VRATE${++viewCounter}`;
    const payload = viewSubmission({ userId, callbackId: callbackIdOf("request"), viewId, state: stateValues(requestFormView(), values) });
    const answer = JSON.stringify(await (await postSigned(events(replica), payloadBody(payload))).json());
    if (!answer.includes("Saving your request")) return answer;
    // Past the ack budget (a cold PostgreSQL pool): the modal is updated with the result.
    const late = await slackApi.waitFor(
      (call) => call.method === "views.update" && call.body.view_id === viewId,
      `the result of ${viewId}`,
    );
    return JSON.stringify(late.body.view);
  }
  const filedBy = (userId: string) =>
    prisma().maRequest.count({ where: { requester: { identities: { some: { key: `slack:${userId}` } } } } });

  it("files at most 3 requests an hour per person across two replicas, however fast they come, and stores nothing past it", async () => {
    const secret = "Flood-organization-marker";
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, index) => submit("UFLOOD", index % 2, { ...slackFormValues(), organization: secret })),
    );
    expect(await filedBy("UFLOOD")).toBe(3);
    const refused = answers.filter((answer) => answer.includes("You have filed 3 requests in the last hour"));
    expect(refused).toHaveLength(5);
    expect(refused[0]).toContain(`please wait or contact ${CONTACT}`);
    expect(answers.filter((answer) => /Your request is MA-\d{4}-\d{4}/.test(answer))).toHaveLength(3);
    // Nothing owed for a refused request: three confirmations and three cards.
    expect(await prisma().outbox.count({ where: { kind: "triage-card" } })).toBe(3);
    // One log line each, with who, never what they typed.
    const lines = logLines.filter((line) => line.includes("rate limit reached"));
    expect(lines).toHaveLength(5);
    expect(lines.every((line) => line.includes('"limit":"requests"'))).toBe(true);
    expect(logLines.join("\n")).not.toContain(secret);
  });

  it("limits each person on their own, and counts only the last hour", async () => {
    expect(await submit("UOTHER", 1)).toMatch(/Your request is MA-/);
    expect(await submit("UFLOOD", 0)).toContain("You have filed 3 requests in the last hour");
    const oldest = await prisma().maRequest.findFirstOrThrow({
      where: { requester: { identities: { some: { key: "slack:UFLOOD" } } } },
      orderBy: { createdAt: "asc" },
    });
    await prisma().maRequest.update({ where: { id: oldest.id }, data: { createdAt: new Date(Date.now() - 61 * 60_000) } });
    expect(await submit("UFLOOD", 1)).toMatch(/Your request is MA-/);
    expect(await submit("UFLOOD", 0)).toContain("You have filed 3 requests in the last hour");
  });

  it("answers the sixth command in a minute with what to do, and does not run it", async () => {
    const command = async (text: string) => {
      const responseId = Math.random().toString(36).slice(2);
      const body = slashCommandBody({ text, userId: "UCHATTY", responseUrl: `${slackApi.url}/response/${responseId}` });
      expect((await postSigned(events(0), body)).status).toBe(200);
      return slackApi.waitFor((call) => call.method === "response_url" && call.body.id === responseId, `the answer to ${text}`);
    };
    for (let index = 0; index < 5; index++) expect(JSON.stringify((await command("list")).body)).not.toContain("last minute");
    const answer = JSON.stringify((await command("list")).body);
    expect(answer).toContain(`You have sent 5 commands in the last minute; please wait a minute or contact ${CONTACT}`);
    slackApi.clear();
    // /ma new is a command too: no modal past the limit.
    const refused = JSON.stringify((await command("new")).body);
    expect(refused).toContain("You have sent 5 commands in the last minute");
    expect(slackApi.callsTo("views.open")).toHaveLength(0);
    expect(logLines.filter((line) => line.includes("rate limit reached") && line.includes('"limit":"commands"'))).toHaveLength(2);
  });
});

describe("CommandRate", () => {
  it("counts a sliding minute per identity and forgets the person heard from longest ago past its capacity", () => {
    const clock = fixedClock("2026-03-02T17:00:00Z");
    const rate = new CommandRate({ requestsPerHour: 10, commandsPerMinute: 2 }, clock, 2);
    rate.take("slack:A");
    clock.advance(30_000);
    rate.take("slack:A");
    let refusal: unknown;
    try {
      rate.take("slack:A");
    } catch (error) {
      refusal = error;
    }
    expect(isAppError(refusal, "LIMITED")).toBe(true);
    expect((refusal as Error).message).toContain("DAU's International Acquisition Center");
    // The first command leaves the window 60 s after it was counted.
    clock.advance(30_001);
    rate.take("slack:A");
    // Capacity 2: a third person pushes A (heard from longest ago) out, so A starts afresh.
    rate.take("slack:B");
    rate.take("slack:C");
    rate.take("slack:A");
    rate.take("slack:A");
  });
});
