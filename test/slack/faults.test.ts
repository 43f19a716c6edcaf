import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { BotConnectorStandIn } from "../helpers/bot-connector.js";
import { END_TO_END_DATABASE, type TestDatabase } from "../helpers/databases.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";
import { SIGNING_SECRET } from "../helpers/slack-requests.js";
import { messageActivity, postActivity } from "../helpers/teams-activities.js";
import { waitUntil } from "../helpers/wait.js";

const database = END_TO_END_DATABASE;

/** No Slack fault is fatal: the bot keeps serving, says so once, and keeps trying. */
describe("Slack faults at start", () => {
  let db: TestDatabase;
  let slackApi: SlackApiStandIn;
  let connector: BotConnectorStandIn;
  let app: RunningApp | undefined;
  const lines: Array<{ level: number; msg: string }> = [];

  beforeEach(async () => {
    db = await database.create({ migrate: false });
    slackApi = await new SlackApiStandIn().start();
    connector = await new BotConnectorStandIn().start();
    lines.length = 0;
  });
  afterEach(async () => {
    await app?.close();
    await connector.stop();
    await slackApi.stop();
    await db.dispose();
  });

  async function start() {
    const logger = createLogger("info", { write: (line: string) => lines.push(JSON.parse(line)) });
    const config = loadConfig({
      DATABASE_URL: db.url,
      PORT: "0",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: "xoxb-secret-token-value",
      SLACK_API_URL: `${slackApi.url}/api/`,
      TEAMS_LOCAL: "1",
    });
    app = await startApp(config, logger, { reminders: false, slackTimeoutMs: 200 });
    return `http://127.0.0.1:${app.port}`;
  }

  const readiness = async (base: string) =>
    (await (await fetch(`${base}/readyz`)).json()) as { platforms: Record<string, { state: string; reason?: string }> };

  it("keeps serving, and answers Teams, while Slack accepts connections and never answers", async () => {
    slackApi.hanging = true;
    const base = await start();
    // The token check times out (several times over): the bot is still up and says why.
    const slack = await waitUntil(
      () => lines.find((line) => /Slack API unreachable/.test(line.msg)),
      () => "no log line about Slack",
    );
    expect(slack.level).toBe(40);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await readiness(base)).platforms.slack).toEqual({ state: "degraded", reason: "Slack API unreachable" });
    const reply = await postActivity(
      `${base}/api/messages`,
      messageActivity(connector.url, { aad: "aad-x", name: "X" }, { id: "a:dm-x", type: "personal" }, "help"),
    );
    expect(reply.status).toBe(200);
    await connector.waitFor((call) => call.conversationId === "a:dm-x", "the help card");
    // One line while the state stays the same, however many retries.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(lines.filter((line) => /Slack API unreachable/.test(line.msg))).toHaveLength(1);
  });

  it("names SLACK_BOT_TOKEN in one clear line when Slack refuses it, and keeps serving", async () => {
    slackApi.failNext("auth.test", 200, { error: "invalid_auth" });
    const base = await start();
    const refused = await waitUntil(
      () => lines.find((line) => /SLACK_BOT_TOKEN/.test(line.msg)),
      () => "no line naming the token",
    );
    expect(refused.level).toBe(50);
    expect(refused.msg).toMatch(/SLACK_BOT_TOKEN was refused by Slack \(invalid_auth\)/);
    expect(JSON.stringify(lines)).not.toContain("xoxb-secret-token-value");
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    // The next check succeeds: the state comes back by itself.
    await waitUntil(
      () => lines.find((line) => /Slack token accepted/.test(line.msg)),
      () => "the token was never accepted again",
    );
    expect((await readiness(base)).platforms.slack).toEqual({ state: "ok" });
  });
});
