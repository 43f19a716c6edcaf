import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { createSubscriber, DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";

const CHANNELS = ["C0ALPHA", "C0BRAVO", "C0CHARLIE"];
const CASES = ["BN-D-AAA", "BN-D-AAB", "BN-D-AAC", "BN-D-AAD"];
const DUE = "2026-06-15";

describe.each(DATABASE_KINDS)("two processes running the reminder pass against one $name database", (kind) => {
  let db: TestDatabase;
  let slackApi: SlackApiStandIn;

  beforeAll(async () => {
    db = await kind.create();
    slackApi = await new SlackApiStandIn().start();
    const { prisma } = db.database;
    await prisma.case.createMany({
      data: CASES.map((id) => ({ id, title: `Case ${id}`, status: "IMPLEMENTED", type: "FMS", category: "B" })),
    });
    await prisma.milestone.createMany({ data: CASES.map((caseId) => ({ caseId, type: "CASE_REVIEW", dueDate: DUE })) });
    await createSubscriber(prisma);
    await prisma.subscription.createMany({
      data: CHANNELS.flatMap((conversationId) =>
        CASES.map((targetId) => ({ platform: "slack", conversationId, targetType: "case", targetId, createdById: "x" })),
      ),
    });
  });
  afterAll(async () => {
    await slackApi.stop();
    await db.dispose();
  });

  it("sends each reminder exactly once", async () => {
    const env = {
      DATABASE_URL: db.url,
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: "secret",
      SLACK_API_URL: `${slackApi.url}/api/`,
    };
    const now = "2026-06-08T14:00:00Z";
    const [first, second] = await Promise.all([
      runCli(["remind", "--once", "--now", now], env),
      runCli(["remind", "--once", "--now", now], env),
    ]);
    expect([first.code, second.code, first.stderr + second.stderr]).toEqual([0, 0, ""]);
    const posts = slackApi
      .callsTo("chat.postMessage")
      .map((call) => `${call.body.channel} ${/for (BN-D-\w+)/.exec(String(call.body.text))?.[1]}`);
    const expected = CHANNELS.flatMap((channel) => CASES.map((caseId) => `${channel} ${caseId}`));
    expect(posts.sort()).toEqual(expected.sort());
    const sent = (text: string) => Number(/sent (\d+)/.exec(text)?.[1] ?? 0);
    expect(sent(first.stdout) + sent(second.stdout)).toBe(expected.length);
    const status = await runCli(["remind", "--status"], { DATABASE_URL: db.url });
    expect(status.stdout).toMatch(/0 pending, 12 sent, 0 failed/);
  });
});
