import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { selfCheck } from "../../src/doctor/self-check.js";
import { createLogger } from "../../src/logger.js";
import { END_TO_END_DATABASE, type TestDatabase } from "../helpers/databases.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";
import { postSigned, slackTestEnv, slashCommandBody } from "../helpers/slack-requests.js";

const database = END_TO_END_DATABASE;
const ADMIN = "UADMIN";

describe("the self-check and /ma status", () => {
  let db: TestDatabase;
  let slackApi: SlackApiStandIn;
  let app: RunningApp;

  beforeAll(async () => {
    db = await database.create({ migrate: false });
    slackApi = await new SlackApiStandIn().start();
    slackApi.memberOf = new Set(["C0TRIAGE"]);
    app = await startApp(
      loadConfig(slackTestEnv(db.url, slackApi.url, { SLACK_TRIAGE_CHANNEL: "C0TRIAGE", ADMIN_USERS: `slack:${ADMIN}` })),
      createLogger("silent"),
      { reminders: false, dispatch: false },
    );
  });
  afterAll(async () => {
    await app.close();
    await slackApi.stop();
    await db.dispose();
  });

  const run = async () => {
    const fresh = await selfCheck({
      config: app.config,
      database: app.database,
      core: app.core,
      conversations: app.repositories.conversations,
      channels: app.channels,
      wake: () => {},
    });
    await app.dispatcher.drain();
    return fresh;
  };
  const adminDms = () => slackApi.callsTo("chat.postMessage").filter((call) => call.body.channel === ADMIN);

  it("tells the admins once when the bot is removed from the triage channel, and again only after a fix and a new break", async () => {
    expect(await run()).toEqual([]);
    expect(adminDms()).toHaveLength(0);
    slackApi.memberOf = new Set();
    expect(await run()).toEqual(["Slack triage channel"]);
    expect(adminDms()).toHaveLength(1);
    expect(String(adminDms()[0]!.body.text)).toMatch(/the bot is not a member of C0TRIAGE/);
    // The next day, still broken: nothing more.
    expect(await run()).toEqual([]);
    expect(adminDms()).toHaveLength(1);
    // Fixed, then broken again: told again.
    slackApi.memberOf = new Set(["C0TRIAGE"]);
    await run();
    slackApi.memberOf = new Set();
    await run();
    expect(adminDms()).toHaveLength(2);
  });

  it("tells the admins when one channel keeps refusing messages for good", async () => {
    slackApi.memberOf = new Set(["C0TRIAGE"]);
    const before = adminDms().length;
    const { outbox } = app.core;
    const owe = (n: number) => ({
      kind: "notice" as const,
      platform: "slack" as const,
      conversationId: "C0ARCHIVED",
      subjectKey: "request:x",
      version: n,
      body: "{}",
      dedupeKey: `archived-${n}`,
    });
    const failSome = async (count: number, from: number) => {
      await outbox.enqueue(
        Array.from({ length: count }, (_, i) => owe(from + i)),
        new Date(),
      );
      for (const row of await outbox.claimDue(new Date(), "test", 60_000, 100)) {
        await outbox.markFailed(row.id, "test", "is_archived");
      }
    };
    await failSome(2, 0);
    expect(await run()).toEqual([]);
    await failSome(1, 2);
    expect(await run()).toEqual(["delivery to slack C0ARCHIVED"]);
    expect(String(adminDms().at(-1)!.body.text)).toMatch(/3 messages refused for good in the last 2 days \(last: is_archived\)/);
    expect(adminDms()).toHaveLength(before + 1);
    expect(await run()).toEqual([]);
    expect(adminDms()).toHaveLength(before + 1);
  });

  it("answers /ma status to an admin, privately, and refuses it to others", async () => {
    slackApi.memberOf = new Set(["C0TRIAGE"]);
    const events = `http://127.0.0.1:${app.port}/slack/events`;
    await postSigned(events, slashCommandBody({ text: "status", userId: ADMIN, responseUrl: `${slackApi.url}/response/st` }));
    const answer = await slackApi.waitFor((call) => call.method === "response_url" && call.body.id === "st", "the status");
    expect(answer.body.response_type).toBe("ephemeral");
    expect(JSON.stringify(answer.body.blocks)).toMatch(/✓ Slack token/);
    await postSigned(events, slashCommandBody({ text: "status", userId: "UOTHER", responseUrl: `${slackApi.url}/response/no` }));
    const refused = await slackApi.waitFor((call) => call.method === "response_url" && call.body.id === "no", "the refusal");
    expect(refused.body.text).toBe("Only an admin can see the bot's checks.");
  });
});
