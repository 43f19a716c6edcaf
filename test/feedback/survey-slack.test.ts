import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { submitForm } from "../../src/chat/interactions/submit-form.js";
import { encodeRequestAction, type FieldKind } from "../../src/chat/views.js";
import { loadConfig } from "../../src/config.js";
import { addDays, dayInZone, instantInZone } from "../../src/core/dates.js";
import { addWorkingDays } from "../../src/core/service-levels/working-days.js";
import { createLogger } from "../../src/logger.js";
import { runCli } from "../helpers/cli.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";
import { blockAction, slackFormValues, stateValues, viewSubmission } from "../helpers/slack-payloads.js";
import { payloadBody, postSigned, slackTestEnv, slashCommandBody } from "../helpers/slack-requests.js";

const REQUESTER = "UREQ01";
const FACULTY = "UFAC01";
const ADMIN = "UADM01";
const TRIAGE = "C0TRIAGE";
const ZONE = "America/New_York";

/** A clock the test moves: the dispatcher sends what is due by it, the core dates by it. */
class MovableClock {
  at = new Date();
  now = () => new Date(this.at);
}

describe.each(DATABASE_KINDS)("the feedback survey over real Bolt on $name", (kind) => {
  let db: TestDatabase;
  let slackApi: SlackApiStandIn;
  let app: RunningApp;
  let events: string;
  const clock = new MovableClock();
  let facultyId = "";
  let keys = 0;

  beforeAll(async () => {
    db = await kind.create({ migrate: false });
    slackApi = await new SlackApiStandIn().start();
    const env = slackTestEnv(db.url, slackApi.url, { SLACK_TRIAGE_CHANNEL: TRIAGE, ADMIN_USERS: `slack:${ADMIN}` });
    app = await startApp(loadConfig(env), createLogger("silent"), { clock, reminders: false });
    events = `http://127.0.0.1:${app.port}/slack/events`;
    await app.repositories.people.grant(`slack:${FACULTY}`, { role: "faculty" }, "test");
    facultyId = (await app.repositories.people.resolve({ key: `slack:${FACULTY}`, displayName: "Dana Ruiz" })).id;
    await app.repositories.people.resolve({ key: `slack:${REQUESTER}`, displayName: "Pat Quinn" });
  });
  afterAll(async () => {
    await app?.close();
    await slackApi?.stop();
    await db?.dispose();
  });

  /** A form sent as the listener sends it (setup: the survey itself goes over HTTP below). */
  async function send(user: string, formId: Parameters<typeof submitForm>[1]["formId"], state: string, values: Record<string, unknown>) {
    const outcome = await submitForm(app.interaction, {
      identity: { key: `slack:${user}` },
      platform: "slack",
      formId,
      state,
      values: values as never,
      idempotencyKey: `test:${++keys}`,
    });
    expect(outcome.kind, JSON.stringify(outcome)).toBe("done");
  }
  const current = (id: string) => app.repositories.requests.findById(id).then((request) => request!);
  const at = (request: { id: string; version: number }) => encodeRequestAction({ requestId: request.id, version: request.version });

  /** A request filed by `requester`, accepted, scheduled from today and delivered by `deliverer`. */
  async function deliveredRequest(requester = REQUESTER, deliverer = FACULTY) {
    const today = dayInZone(clock.now(), ZONE);
    await send(requester, "request", "", { ...slackFormValues(), preferredStart: today, preferredEnd: today });
    const filed = await app.database.prisma.maRequest.findFirstOrThrow({ orderBy: [{ year: "desc" }, { seq: "desc" }] });
    await send(FACULTY, "accept", at(filed), { leadId: facultyId });
    await send(FACULTY, "schedule", at(await current(filed.id)), { start: today, end: today });
    await send(deliverer, "deliver", at(await current(filed.id)), { note: "" });
    return current(filed.id);
  }
  /** Sends what is due: a drain already running (woken by a move) returns first, so twice. */
  const settle = async () => {
    await app.dispatcher.drain();
    await app.dispatcher.drain();
  };
  const surveysOf = (requestId: string) =>
    app.database.prisma.outbox.findMany({ where: { kind: "survey", subjectKey: `request:${requestId}` } });
  const surveyPosts = (number: string) =>
    slackApi
      .callsTo("chat.postMessage")
      .filter((call) => call.body.channel === REQUESTER && String(call.body.text) === `How did the Mission Assistance go? ${number}`);

  let first: Awaited<ReturnType<typeof deliveredRequest>>;

  it("owes one survey, 2 working days after delivery from 08:00 in the zone, and sends it then with labelled buttons", async () => {
    first = await deliveredRequest();
    const [row, ...more] = await surveysOf(first.id);
    expect(more).toEqual([]);
    const day = addWorkingDays(dayInZone(clock.now(), ZONE), 2, app.core.calendar);
    expect(row?.nextAttemptAt.toISOString()).toBe(instantInZone(day, 8, ZONE).toISOString());
    await settle();
    expect(surveyPosts(first.number)).toEqual([]);

    clock.at = new Date(row!.nextAttemptAt.getTime() + 60_000);
    await settle();
    const [post] = surveyPosts(first.number);
    const blocks = JSON.stringify(post?.body.blocks);
    expect(blocks).toContain("How did the Mission Assistance go?");
    const buttons = post!.body.blocks
      .flatMap((block: { elements?: Array<{ type: string }> }) => block.elements ?? [])
      .filter((element: { type: string }) => element.type === "button");
    expect(buttons.map((button: { text: { text: string } }) => button.text.text)).toEqual([
      "1 – Poor",
      "2 – Fair",
      "3 – Good",
      "4 – Very good",
      "5 – Excellent",
    ]);
    const survey = await app.database.prisma.survey.findUniqueOrThrow({ where: { requestId: first.id } });
    expect(survey.expiresOn).toBe(addWorkingDays(dayInZone(clock.now(), ZONE), 14, app.core.calendar));
    first = { ...first, surveyButtons: buttons } as typeof first;
  });

  it("opens the survey form from a button, records a low rating with its comment and tells the lead and the admins", async () => {
    const buttons = (first as unknown as { surveyButtons: Array<{ action_id: string; value: string }> }).surveyButtons;
    slackApi.clear();
    await postSigned(
      events,
      payloadBody(blockAction({ userId: REQUESTER, actionId: buttons[1]!.action_id, value: buttons[1]!.value, channelId: "D0REQ" })),
    );
    const open = await slackApi.waitFor((call) => call.method === "views.open", "the survey modal");
    expect(open.body.view.callback_id).toBe("ma_form_survey");
    expect(JSON.stringify(open.body.view)).toContain("2 – Fair");
    const answer = await submitModal(REQUESTER, open, { rating: "2", comment: "The session was cut <short>" });
    expect(answer.status).toBe(200);
    const survey = await app.database.prisma.survey.findUniqueOrThrow({ where: { requestId: first.id } });
    expect(survey).toMatchObject({ rating: 2, comment: "The session was cut <short>" });

    await settle();
    const alerts = slackApi.callsTo("chat.postMessage").filter((call) => String(call.body.text).includes("Low feedback"));
    expect(alerts.map((call) => call.body.channel).sort()).toEqual([ADMIN, FACULTY]);
    expect(JSON.stringify(alerts[0]?.body.blocks)).toContain("2 – Fair");
    // The requester's comment stays inert in the alert.
    expect(JSON.stringify(alerts[0]?.body.blocks)).toContain("&lt;short&gt;");

    const again = await submitModal(REQUESTER, open, { rating: "5", comment: "" });
    expect(JSON.stringify(await again.json())).toContain("already recorded");
    expect(await app.database.prisma.survey.findUniqueOrThrow({ where: { requestId: first.id } })).toMatchObject({ rating: 2 });
  });

  it("sends no second survey when the same request is delivered again", async () => {
    // No reopen here yet: the request is moved back in the database, then delivered again.
    await app.database.prisma.maRequest.update({ where: { id: first.id }, data: { status: "SCHEDULED" } });
    await send(FACULTY, "deliver", at(await current(first.id)), { note: "again" });
    clock.at = new Date(clock.at.getTime() + 10 * 86_400_000);
    await settle();
    // The one survey was sent before (test above); the second delivery's is cancelled unsent.
    expect(surveyPosts(first.number)).toEqual([]);
    expect((await surveysOf(first.id)).map((row) => row.status).sort()).toEqual(["CANCELLED", "SENT"]);
    expect(await app.database.prisma.survey.count({ where: { requestId: first.id } })).toBe(1);
  });

  it("sends none when the requester marked it delivered themselves", async () => {
    await app.repositories.people.grant(`slack:${ADMIN}`, { role: "faculty" }, "test");
    const own = await deliveredRequest(ADMIN, ADMIN);
    expect(await surveysOf(own.id)).toEqual([]);
  });

  it("refuses kindly an answer after 14 working days", async () => {
    const late = await deliveredRequest();
    const [row] = await surveysOf(late.id);
    clock.at = new Date(row!.nextAttemptAt.getTime() + 60_000);
    await settle();
    const survey = await app.database.prisma.survey.findUniqueOrThrow({ where: { requestId: late.id } });
    clock.at = instantInZone(survey.expiresOn, 23, ZONE);
    clock.at = new Date(clock.at.getTime() + 2 * 3_600_000);
    const open = await clickRating(late.number, 4);
    const refused = await submitModal(REQUESTER, open, { rating: "4", comment: "" });
    const text = JSON.stringify(await refused.json());
    expect(text).toContain("closed on");
    expect(text).toContain("Thank you");
    expect(await app.database.prisma.survey.findUniqueOrThrow({ where: { requestId: late.id } })).toMatchObject({ rating: null });
  });

  it("reports count, response rate, average and distribution by component and lead, in chat, on the command line and in the export", async () => {
    // Answered: one rating of 2 (the first request); sent, not answered: the late one.
    const day = dayInZone(clock.now(), ZONE);
    const from = addDays(day, -60);
    await postSigned(
      events,
      slashCommandBody({ text: `report ${from} ${day}`, userId: FACULTY, responseUrl: `${slackApi.url}/response/report` }),
    );
    const answer = await slackApi.waitFor((call) => call.method === "response_url" && call.body.id === "report", "the report");
    const text = JSON.stringify(answer.body.blocks);
    expect(text).toContain("2 survey(s) sent, 1 answered (50%), average 2 of 5");
    expect(text).toContain("1 – Poor: 0 · 2 – Fair: 1 · 3 – Good: 0 · 4 – Very good: 0 · 5 – Excellent: 0");
    expect(text).toContain("By DoD component: Army 1 of 2, average 2");
    expect(text).toContain("By lead: Dana Ruiz 1 of 2, average 2");

    const cli = await runCli(["report", "--from", from, "--to", day, "--format", "json"], { DATABASE_URL: db.url });
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout).feedback).toEqual({
      sent: 2,
      answered: 1,
      responseRate: 50,
      average: 2,
      distribution: { "1": 0, "2": 1, "3": 0, "4": 0, "5": 0 },
      byComponent: [{ key: "ARMY", sent: 2, answered: 1, average: 2 }],
      byLead: [{ key: "Dana Ruiz", sent: 2, answered: 1, average: 2 }],
    });
    const exported = await runCli(["export", "requests", "--format", "json"], { DATABASE_URL: db.url });
    const rows = JSON.parse(exported.stdout) as Array<{ id: string; rating: number | string; rating_comment: string }>;
    expect(rows.find((row) => row.id === first.number)).toMatchObject({ rating: 2, rating_comment: "The session was cut <short>" });
    expect(rows.filter((row) => row.rating === "")).toHaveLength(rows.length - 1);
  });

  async function clickRating(number: string, rating: number) {
    const post = surveyPosts(number).at(-1)!;
    const button = post.body.blocks
      .flatMap((block: { elements?: Array<{ type: string }> }) => block.elements ?? [])
      .find(
        (element: { type: string; text: { text: string } }) => element.type === "button" && element.text.text.startsWith(`${rating} –`),
      );
    slackApi.clear();
    await postSigned(
      events,
      payloadBody(blockAction({ userId: REQUESTER, actionId: button.action_id, value: button.value, channelId: "D0REQ" })),
    );
    return slackApi.waitFor((call) => call.method === "views.open", "the survey modal");
  }

  /** Submits the modal a views.open call opened, with these values. */
  function submitModal(userId: string, open: { body: Record<string, unknown> }, values: Record<string, unknown>) {
    const form = open.body.view as {
      blocks: Array<{ type: string; block_id: string; element: { type: string } }>;
      callback_id: string;
      private_metadata: string;
    };
    const kinds: Record<string, FieldKind> = { static_select: "select", plain_text_input: "textarea" };
    const fields = form.blocks
      .filter((block) => block.type === "input")
      .map((block) => ({ name: block.block_id, label: "", required: false, kind: kinds[block.element.type] ?? "text" }));
    const state = stateValues({ id: "survey", title: "", submitLabel: "", state: "", fields }, values);
    return postSigned(
      events,
      payloadBody(
        viewSubmission({ userId, callbackId: form.callback_id, viewId: `VS${++keys}`, privateMetadata: form.private_metadata, state }),
      ),
    );
  }

  it("asks after the redelivery when the request came back before its survey went out", async () => {
    const back = await deliveredRequest();
    // Reopened the next day, before the survey was due: that survey is not sent.
    clock.at = new Date(clock.at.getTime() + 86_400_000);
    await app.database.prisma.maRequest.update({ where: { id: back.id }, data: { status: "SCHEDULED" } });
    clock.at = new Date(clock.at.getTime() + 5 * 86_400_000);
    await settle();
    expect(surveyPosts(back.number)).toEqual([]);
    await send(FACULTY, "deliver", at(await current(back.id)), { note: "after the reopen" });
    // To when the redelivery's survey is due, not a fixed span: from late December two
    // working days can take longer than five calendar days (Christmas, a weekend).
    const owed = (await surveysOf(back.id)).find((row) => row.status === "PENDING");
    expect(owed).toBeDefined();
    clock.at = new Date(owed!.nextAttemptAt.getTime() + 60_000);
    await settle();
    expect(surveyPosts(back.number)).toHaveLength(1);
    expect((await surveysOf(back.id)).map((row) => row.status).sort()).toEqual(["CANCELLED", "SENT"]);
  });
});
