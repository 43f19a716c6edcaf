import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createReminderPassFor, type RunningApp, startApp } from "../../src/app.js";
import { requestFormView } from "../../src/chat/forms.js";
import { loadConfig } from "../../src/config.js";
import { fixedClock } from "../../src/core/clock.js";
import { dayInZone } from "../../src/core/dates.js";
import { addWorkingDays } from "../../src/core/service-levels/working-days.js";
import { createLogger } from "../../src/logger.js";
import { CLAIM_LEASE_MS, MAX_BACKOFF_MS } from "../../src/outbox/policy.js";
import { callbackIdOf } from "../../src/slack/ids.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";
import { slackFormValues, stateValues, viewSubmission } from "../helpers/slack-payloads.js";
import { payloadBody, postSigned, slackTestEnv, slashCommandBody } from "../helpers/slack-requests.js";

const REQUESTER = "UREQ01";
const ADMIN = "UADM01";
const TRIAGE = "C0TRIAGE";

/**
 * Delivery through the outbox on real Bolt over HTTP: the Slack stand-in refuses or fails
 * calls, time moves only through the injected clock, and the test drains the outbox itself.
 */
describe.each(DATABASE_KINDS)("Slack delivery through the outbox on $name", (kind) => {
  let db: TestDatabase;
  let slackApi: SlackApiStandIn;
  let clock: ReturnType<typeof fixedClock>;
  const apps: RunningApp[] = [];

  beforeEach(async () => {
    db = await kind.create({ migrate: false });
    slackApi = await new SlackApiStandIn().start();
    clock = fixedClock(new Date());
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await slackApi.stop();
    await db.dispose();
  });

  async function start(env: Record<string, string> = { SLACK_TRIAGE_CHANNEL: TRIAGE }) {
    const app = await startApp(
      loadConfig(slackTestEnv(db.url, slackApi.url, { ADMIN_USERS: `slack:${ADMIN}`, ...env })),
      createLogger("silent"),
      { clock, sleep: async (ms) => clock.advance(ms), dispatch: false, reminders: false },
    );
    apps.push(app);
    return app;
  }

  const events = (app: RunningApp) => `http://127.0.0.1:${app.port}/slack/events`;

  async function submit(app: RunningApp, viewId = `V${Math.random().toString(36).slice(2)}`) {
    const payload = viewSubmission({
      userId: REQUESTER,
      callbackId: callbackIdOf("request"),
      viewId,
      state: stateValues(requestFormView(), slackFormValues()),
    });
    const response = await postSigned(events(app), payloadBody(payload));
    expect(((await response.json()) as { response_action?: string }).response_action).toBe("update");
  }

  const posted = (channel: string) => slackApi.callsTo("chat.postMessage").filter((call) => call.body.channel === channel);

  it("nudges a request untouched past the triage service level in its card's thread, once", async () => {
    const app = await start();
    await submit(app);
    await app.dispatcher.drain();
    const card = await app.database.prisma.triageCard.findFirstOrThrow({ where: { platform: "slack" } });
    const submittedOn = dayInZone(clock.now(), "America/New_York");
    const due = addWorkingDays(submittedOn, 2, app.core.calendar);
    const pass = createReminderPassFor(app);
    const passOn = async (day: string) => {
      clock.set(new Date(`${day}T15:00:00Z`));
      await pass(clock.now());
    };
    await passOn(addWorkingDays(submittedOn, 1, app.core.calendar));
    expect(posted(TRIAGE).filter((call) => call.body.thread_ts)).toHaveLength(0);
    await passOn(due);
    await passOn(due);
    const replies = posted(TRIAGE).filter((call) => call.body.thread_ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body.thread_ts).toBe(card.messageId);
    expect(String(replies[0]!.body.text)).toMatch(/MA-\d{4}-\d{4} has waited 2 working days for triage/);
  });

  it("posts the triage card once after a 429 with Retry-After", async () => {
    const app = await start();
    slackApi.failNext("chat.postMessage", 429, { retryAfter: 1, match: (body) => body.channel === TRIAGE });
    await submit(app);
    const first = await app.dispatcher.drain();
    expect(first).toMatchObject({ sent: 1, retried: 1 });
    expect(posted(TRIAGE)).toHaveLength(0);
    expect(posted(REQUESTER)).toHaveLength(1);
    // Not before Retry-After has passed.
    expect(await app.dispatcher.drain()).toMatchObject({ sent: 0 });
    clock.advance(1_000);
    expect(await app.dispatcher.drain()).toMatchObject({ sent: 1 });
    expect(posted(TRIAGE)).toHaveLength(1);
    expect(await app.repositories.outbox.statusCounts()).toEqual({ SENT: 2 });
  });

  it("delivers the card and the confirmation once each after Slack answers 500 for a while", async () => {
    const app = await start();
    slackApi.failNext("chat.postMessage", 500, { count: 4 });
    await submit(app);
    let drains = 0;
    let waited = 0;
    while (posted(TRIAGE).length === 0 && drains++ < 20) {
      await app.dispatcher.drain();
      const next = await app.database.prisma.outbox.findFirst({ where: { status: "PENDING" }, orderBy: { nextAttemptAt: "asc" } });
      if (!next) break;
      const wait = Math.max(0, next.nextAttemptAt.getTime() - clock.now().getTime());
      waited = wait;
      clock.advance(wait);
    }
    await app.dispatcher.drain();
    expect(slackApi.calls.filter((call) => call.method === "chat.postMessage (refused 500)")).toHaveLength(4);
    expect(posted(TRIAGE)).toHaveLength(1);
    expect(posted(REQUESTER)).toHaveLength(1);
    // After Slack recovers, the next try is never more than the backoff cap away.
    expect(waited).toBeLessThanOrEqual(MAX_BACKOFF_MS);
    expect(await app.repositories.outbox.statusCounts()).toEqual({ SENT: 2 });
  });

  it("sends what a crashed process owed after a restart, and a dead sender's claim after its lease", async () => {
    const first = await start();
    await submit(first);
    await first.close(); // "killed" right after the commit: nothing was sent
    expect(slackApi.callsTo("chat.postMessage")).toHaveLength(0);
    const second = await start();
    // A third process claimed one message and died before sending it.
    const claimed = await second.repositories.outbox.claimDue(clock.now(), "dead-worker", CLAIM_LEASE_MS, 1);
    expect(claimed).toHaveLength(1);
    expect(await second.dispatcher.drain()).toMatchObject({ sent: 1 });
    clock.advance(CLAIM_LEASE_MS + 1);
    expect(await second.dispatcher.drain()).toMatchObject({ sent: 1 });
    expect(posted(TRIAGE)).toHaveLength(1);
    expect(posted(REQUESTER)).toHaveLength(1);
    expect(CLAIM_LEASE_MS).toBeLessThan(120_000);
  });

  it("posts cards for requests still waiting when a triage channel is chosen later", async () => {
    const app = await start({});
    await submit(app);
    await submit(app);
    await app.dispatcher.drain();
    expect(posted("C0LATER")).toHaveLength(0);
    const response = await postSigned(
      events(app),
      slashCommandBody({ text: "triage-here", userId: ADMIN, channelId: "C0LATER", responseUrl: `${slackApi.url}/response/th` }),
    );
    expect(response.status).toBe(200);
    await slackApi.waitFor((call) => call.method === "response_url" && call.body.id === "th", "the triage-here answer");
    await app.dispatcher.drain();
    expect(posted("C0LATER")).toHaveLength(2);
    // Choosing the same channel again owes nothing more.
    await postSigned(
      events(app),
      slashCommandBody({ text: "triage-here", userId: ADMIN, channelId: "C0LATER", responseUrl: `${slackApi.url}/response/th2` }),
    );
    await slackApi.waitFor((call) => call.method === "response_url" && call.body.id === "th2", "the second answer");
    await app.dispatcher.drain();
    expect(posted("C0LATER")).toHaveLength(2);
  });

  it("records a permanent failure with its reason and shows it in the outbox status", async () => {
    const app = await start();
    slackApi.failNext("chat.postMessage", 200, { error: "channel_not_found", match: (body) => body.channel === TRIAGE });
    await submit(app);
    expect(await app.dispatcher.drain()).toMatchObject({ sent: 1, failed: 1 });
    const [failed] = await app.repositories.outbox.listFailed(5);
    expect(failed).toMatchObject({ kind: "triage-card", lastError: "channel_not_found", conversationId: TRIAGE });
  });
});
