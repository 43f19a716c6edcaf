import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { END_TO_END_DATABASE, type TestDatabase } from "../helpers/databases.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";

const database = END_TO_END_DATABASE;

describe("mission-assist doctor", () => {
  let db: TestDatabase;
  let slackApi: SlackApiStandIn;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await database.create();
    slackApi = await new SlackApiStandIn().start();
    env = {
      DATABASE_URL: db.url,
      SLACK_BOT_TOKEN: "xoxb-doctor",
      SLACK_SIGNING_SECRET: "secret",
      SLACK_API_URL: `${slackApi.url}/api/`,
      SLACK_TRIAGE_CHANNEL: "C0TRIAGE",
    };
  });
  afterAll(async () => {
    await slackApi.stop();
    await db.dispose();
  });
  beforeEach(() => {
    slackApi.hanging = false;
    slackApi.scopes = ["commands", "chat:write", "im:write", "channels:read", "groups:read", "users:read", "users:read.email"];
    slackApi.memberOf = new Set(["C0TRIAGE"]);
  });

  it("passes every check on a working setup, one line each", async () => {
    const result = await runCli(["doctor"], env);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines.every((line) => line.startsWith("✓") || line.startsWith("All"))).toBe(true);
    expect(result.stdout).toMatch(/✓ Slack triage channel: the bot is a member of C0TRIAGE/);
    expect(result.stdout).toMatch(
      /✓ reminder schedule: \*\/15 \* \* \* \* in America\/New_York; next runs \d{4}-\d{2}-\d{2} \d{2}:\d{2}, /,
    );
    expect(lines.at(-1)).toMatch(/^All \d+ checks passed\.$/);
  });

  it("names SLACK_BOT_TOKEN when Slack refuses it, and exits non-zero", async () => {
    slackApi.failNext("auth.test", 200, { error: "invalid_auth" });
    const result = await runCli(["doctor"], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ Slack token: Slack refused SLACK_BOT_TOKEN \(invalid_auth\) — copy the Bot User OAuth Token/);
  });

  it("says the bot is not in the triage channel, with the invite command, and names a missing scope", async () => {
    slackApi.memberOf = new Set();
    // What the manifest asked before: conversations.info, which the membership check calls, needs channels:read.
    slackApi.scopes = ["commands", "chat:write", "im:write"];
    const result = await runCli(["doctor"], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ Slack scopes: missing: channels:read, groups:read, users:read, users:read.email —/);
    expect(result.stdout).toMatch(
      /✗ Slack triage channel: the bot is not a member of C0TRIAGE — type `\/invite @Mission Assist` in <#C0TRIAGE>/,
    );
  });

  it("gives up on a Slack host that never answers, and says so", async () => {
    slackApi.hanging = true;
    const result = await runCli(["doctor"], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ Slack token: the Slack API at .* did not answer within 5 s/);
    expect(result.stdout).toMatch(/✓ outbox/);
  });

  it("tells a Slack host that does not resolve from one that does not answer", async () => {
    // .invalid never resolves (RFC 6761): DNS fails at once, no waiting for the timeout.
    const result = await runCli(["doctor"], { ...env, SLACK_API_URL: "http://slack-api.invalid/api/" });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /✗ Slack token: the host of SLACK_API_URL \(slack-api\.invalid\) was not found by DNS \((ENOTFOUND|EAI_AGAIN)\)/,
    );
    expect(result.stdout).not.toMatch(/did not answer/);
  });
});
