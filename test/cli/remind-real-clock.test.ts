import { DateTime } from "luxon";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { requestFormView } from "../../src/chat/forms.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { callbackIdOf } from "../../src/slack/ids.js";
import { runCli } from "../helpers/cli.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";
import { slackFormValues, stateValues, viewSubmission } from "../helpers/slack-payloads.js";
import { payloadBody, postSigned, slackTestEnv } from "../helpers/slack-requests.js";

const REQUESTER = "UREQ01";
const TRIAGE = "C0TRIAGE";
const DAY_MS = 24 * 3_600_000;
/** How far past now the pass below runs: a day on, when the bot's backoff is long over. */
const LATER_MS = DAY_MS + 2 * 3_600_000;

/**
 * The bot's settings, with the daily digest 12 hours away from the pass's `--now` in the bot's
 * zone: otherwise, run at some times of day, the pass also owes that day's digest (its
 * 8-hour window) and the outbox holds a third row.
 */
function settings(db: TestDatabase, slackApi: SlackApiStandIn): Record<string, string> {
  const env = slackTestEnv(db.url, slackApi.url, { SLACK_TRIAGE_CHANNEL: TRIAGE });
  const zone = loadConfig(env).REMINDER_TIMEZONE;
  const digest = DateTime.fromMillis(Date.now() + LATER_MS, { zone })
    .plus({ hours: 12 })
    .toFormat("HH:mm");
  return { ...env, DIGEST_TIME: digest };
}

/** Polls `check` until it holds; bounded by the outbox's longest backoff and tick, so a lost message fails the test. */
async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const giveUpAt = Date.now() + 90_000;
  while (!(await check())) {
    if (Date.now() > giveUpAt) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A running bot (real Bolt over HTTP, its dispatcher on the real clock) and `remind --once
 * --now <26 h later>` in a child process on one database, while Slack answers 503.
 */
describe.each(DATABASE_KINDS)("remind --once --now beside a running bot on $name", (kind) => {
  let db: TestDatabase;
  let slackApi: SlackApiStandIn;
  let app: RunningApp;

  beforeEach(async () => {
    db = await kind.create({ migrate: false });
    slackApi = await new SlackApiStandIn().start();
    app = await startApp(loadConfig(settings(db, slackApi)), createLogger("silent"), {
      reminders: false,
    });
  });
  afterEach(async () => {
    await app.close();
    await slackApi.stop();
    await db.dispose();
  });

  const delivered = (channel: string) => slackApi.callsTo("chat.postMessage").filter((call) => call.body.channel === channel);

  it("neither steals nor fails what the bot owes: a request filed during a Slack outage is delivered once Slack is back", async () => {
    slackApi.failNext("chat.postMessage", 503, { count: 10_000, error: "service_unavailable" });
    const payload = viewSubmission({
      userId: REQUESTER,
      callbackId: callbackIdOf("request"),
      viewId: "VOUTAGE",
      state: stateValues(requestFormView(), slackFormValues()),
    });
    const response = await postSigned(`http://127.0.0.1:${app.port}/slack/events`, payloadBody(payload));
    expect(((await response.json()) as { response_action?: string }).response_action).toBe("update");
    const { prisma } = app.database;
    // The bot has tried both (the triage card and the requester's "received" card) and is backing off.
    await until(async () => (await prisma.outbox.count({ where: { attempts: { gte: 1 } } })) === 2, "the bot trying both messages");

    const later = new Date(Date.now() + LATER_MS).toISOString();
    const pass = await runCli(["remind", "--once", "--now", later], settings(db, slackApi));
    expect([pass.code, pass.stderr]).toEqual([0, ""]);
    expect(pass.stdout).toMatch(/sent 0, retry later \d+, failed 0/);
    expect(await prisma.outbox.findMany({ select: { kind: true, status: true }, orderBy: { kind: "asc" } })).toEqual([
      { kind: "requester-card", status: "PENDING" },
      { kind: "triage-card", status: "PENDING" },
    ]);

    slackApi.recover();
    await until(() => delivered(TRIAGE).length > 0 && delivered(REQUESTER).length > 0, "the card and the notice after Slack recovered");
    await until(async () => (await prisma.outbox.count({ where: { status: "SENT" } })) === 2, "both marked sent");
    expect([delivered(TRIAGE).length, delivered(REQUESTER).length]).toEqual([1, 1]);
    expect(await app.repositories.outbox.statusCounts()).toEqual({ SENT: 2 });
  });
});
