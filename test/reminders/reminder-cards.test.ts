import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createReminderPassFor, type RunningApp, startApp } from "../../src/app.js";
import { requestFormView } from "../../src/chat/forms.js";
import { loadConfig } from "../../src/config.js";
import { fixedClock } from "../../src/core/clock.js";
import { createLogger } from "../../src/logger.js";
import { callbackIdOf } from "../../src/slack/ids.js";
import { BotConnectorStandIn, cardText } from "../helpers/bot-connector.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { type RecordedCall, SlackApiStandIn } from "../helpers/slack-api.js";
import { blockAction, slackFormValues, stateValues, viewSubmission } from "../helpers/slack-payloads.js";
import { payloadBody, postSigned, slackTestEnv, slashCommandBody } from "../helpers/slack-requests.js";
import { installActivity, invokeActivity, messageActivity, type Person, postActivity } from "../helpers/teams-activities.js";

const FACULTY = "UFAC01";
const VIEWER = "UVIEW1";
const OUTSIDER = "UOUT01";
const GENERAL = "C0GENERAL";
/** CUI that must never reach a channel. */
const TITLE = "ATC radar, phase 2";
const NOTE = "Price negotiation position: ceiling USD 41.2M";
const TEAMS_FACULTY: Person = { aad: "aad-faculty", name: "Morgan Hale" };
const TEAMS_CHANNEL = { id: "19:general@thread.tacv2", type: "channel" as const };

/**
 * Case data in reminders, and the reminder's buttons, through real Bolt and teams-ai over
 * HTTP: the buttons are pressed with the payloads the bot itself posted.
 */
describe.each(DATABASE_KINDS)("reminder cards on $name", (kind) => {
  let db: TestDatabase;
  let slackApi: SlackApiStandIn;
  let connector: BotConnectorStandIn;
  let app: RunningApp;
  let events: string;
  let teams: string;
  const clock = fixedClock("2026-03-02T17:00:00Z");
  /** The reminder the channel got (each goes out once): later tests press its buttons. */
  let channelReminder: Record<string, unknown>;

  beforeAll(async () => {
    db = await kind.create({ migrate: false });
    slackApi = await new SlackApiStandIn().start();
    connector = await new BotConnectorStandIn().start();
    const env = slackTestEnv(db.url, slackApi.url, { TEAMS_LOCAL: "1", SLACK_TRIAGE_CHANNEL: "C0TRIAGE" });
    app = await startApp(loadConfig(env), createLogger("silent"), { clock, dispatch: false, reminders: false, sleep: async () => {} });
    events = `http://127.0.0.1:${app.port}/slack/events`;
    teams = `http://127.0.0.1:${app.port}/api/messages`;
    const { prisma } = app.database;
    await prisma.case.createMany({
      data: [
        { id: "BN-D-ZZZ", title: TITLE, partner: "Bandaria", status: "OFFERED", type: "FMS", category: "C" },
        { id: "XX-D-AAA", title: "", status: "PRE_OFFER", type: "FMS", masked: true },
      ],
    });
    await prisma.milestone.createMany({
      data: [
        { id: "m-oed", caseId: "BN-D-ZZZ", type: "OED", dueDate: "2026-03-16", note: NOTE },
        { id: "m-xx", caseId: "XX-D-AAA", type: "OFFERED", dueDate: "2026-03-16" },
      ],
    });
    const people = app.repositories.people;
    await people.grant(`slack:${FACULTY}`, { role: "faculty" }, "test");
    await people.resolve({ key: `slack:${FACULTY}`, displayName: "Dana Ruiz" });
    await people.grant(`slack:${VIEWER}`, { role: "case-viewer", scope: "BN-D" }, "test");
    await people.resolve({ key: `slack:${VIEWER}`, displayName: "Val Viewer" });
    await people.grant(`teams:${TEAMS_FACULTY.aad}`, { role: "faculty" }, "test");
    await postActivity(teams, installActivity(connector.url, TEAMS_FACULTY, { id: `a:dm-${TEAMS_FACULTY.aad}`, type: "personal" }));
  });
  afterAll(async () => {
    await app.close();
    await connector.stop();
    await slackApi.stop();
    await db.dispose();
  });
  beforeEach(() => {
    slackApi.clear();
    connector.clear();
  });

  /** A slash command as Slack sends it; resolves with what the bot answered through response_url. */
  async function command(text: string, userId: string, channelId: string): Promise<string> {
    const responseId = Math.random().toString(36).slice(2);
    const body = slashCommandBody({ text, userId, channelId, responseUrl: `${slackApi.url}/response/${responseId}` });
    expect((await postSigned(events, body)).status).toBe(200);
    const answer = await slackApi.waitFor((call) => call.method === "response_url" && call.body.id === responseId, `the answer to ${text}`);
    return JSON.stringify(answer.body);
  }

  /** Presses a button of a message the bot posted, with its real action id and value; resolves with the answer. */
  async function press(userId: string, message: Record<string, unknown>, actionId: string, channelId = GENERAL) {
    const blocks = message.blocks as Array<{ elements?: Array<{ action_id: string; value: string }> }>;
    const button = blocks.flatMap((block) => block.elements ?? []).find((element) => element.action_id === actionId);
    if (!button) throw new Error(`no ${actionId} button in ${JSON.stringify(message)}`);
    const responseId = Math.random().toString(36).slice(2);
    const payload = blockAction({
      userId,
      actionId,
      value: button.value,
      channelId,
      responseUrl: `${slackApi.url}/response/${responseId}`,
    });
    expect((await postSigned(events, payloadBody(payload))).status).toBe(200);
    const answer = await slackApi.waitFor(
      (call) => call.method === "response_url" && call.body.id === responseId,
      `the answer to ${actionId}`,
    );
    return answer.body;
  }

  const sendReminders = async () => {
    await createReminderPassFor(app)(clock.now());
    await app.dispatcher.drain();
  };
  const postTo = (channel: string): RecordedCall | undefined =>
    slackApi.callsTo("chat.postMessage").find((call) => call.body.channel === channel);

  it("lets only faculty subscribe a channel; a case-viewer subscribes only their own DM with the bot, not any DM", async () => {
    expect(await command("subscribe BN-D-ZZZ", VIEWER, GENERAL)).toMatch(/Only faculty can have reminders posted in a channel/);
    // A DM between two people is a `D…` channel too, and both read what is posted there.
    expect(await command("subscribe BN-D-ZZZ", VIEWER, "D0PAIRDM")).toMatch(/Only faculty can have reminders posted in a channel/);
    expect(await command("subscribe BN-D-ZZZ", VIEWER, `D${VIEWER}`)).toMatch(/will get reminders for BN-D-ZZZ/);
    expect(await command("subscribe BN-D-ZZZ", FACULTY, GENERAL)).toMatch(/will get reminders for BN-D-ZZZ/);
    const rows = await app.database.prisma.subscription.findMany({ orderBy: { conversationId: "asc" } });
    expect(rows.map((row) => row.conversationId)).toEqual([`@slack:${VIEWER}`, GENERAL]);
    // Nor may a case-viewer stop what faculty set up.
    expect(await command("unsubscribe BN-D-ZZZ", VIEWER, GENERAL)).toMatch(/Only faculty can stop/);
    expect(await app.database.prisma.subscription.count()).toBe(2);
  });

  it("names only the case id, milestone and date in a channel, with Details privately; the title and note go to the viewer's DM", async () => {
    await sendReminders();
    channelReminder = postTo(GENERAL)!.body;
    const channel = JSON.stringify(channelReminder);
    expect(channel).toContain("Offer expiration (OED) for BN-D-ZZZ: due 2026-03-16, in 14 days");
    expect(channel).not.toContain(TITLE);
    expect(channel).not.toContain("41.2M");
    expect(channel).not.toContain("Bandaria");
    expect(channel).toContain("ma_reminderDetails");
    const personal = JSON.stringify(postTo(VIEWER)?.body);
    expect(personal).toContain(TITLE);
    expect(personal).toContain("41.2M");
    expect(personal).not.toContain("ma_reminderDetails");
  });

  it("answers Details privately with the case to whoever may see it, and with not found to anyone else", async () => {
    const outsider = await press(OUTSIDER, channelReminder, "ma_reminderDetails");
    expect(outsider.response_type).toBe("ephemeral");
    expect(JSON.stringify(outsider)).toMatch(/not found, or you do not have access/);
    const viewer = await press(VIEWER, channelReminder, "ma_reminderDetails");
    expect(viewer.response_type).toBe("ephemeral");
    expect(viewer.replace_original).toBe(false);
    expect(JSON.stringify(viewer)).toContain(TITLE);
    expect(JSON.stringify(viewer)).toContain("CUI");
  });

  it("asks before Mark done, says who did it, keeps naming the case and milestone, and undoes within 10 minutes", async () => {
    // The card as posted: Mark done carries Slack's confirm dialog (Slack asks before the click is sent).
    const card = channelReminder;
    const markDone = (card.blocks as Array<{ elements?: Array<Record<string, unknown>> }>)
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === "ma_milestoneDone");
    expect(markDone?.confirm).toMatchObject({ title: { text: "Mark done?" }, confirm: { text: "Mark done" }, deny: { text: "Cancel" } });

    const done = await press(VIEWER, card, "ma_milestoneDone");
    expect(done.replace_original).toBe(true);
    const doneText = JSON.stringify(done);
    expect(doneText).toContain("Offer expiration (OED) for BN-D-ZZZ, due 2026-03-16: marked done by Val Viewer on 2026-03-02");
    expect(doneText).not.toContain(TITLE);
    expect((await app.database.prisma.milestone.findUniqueOrThrow({ where: { id: "m-oed" } })).completedDate).toBe("2026-03-02");

    const undone = await press(FACULTY, done, "ma_milestoneUndo");
    expect(undone.replace_original).toBe(true);
    expect(JSON.stringify(undone)).toContain("Undone by Dana Ruiz");
    expect(JSON.stringify(undone)).toContain("Offer expiration (OED) for BN-D-ZZZ: due 2026-03-16");
    expect((await app.database.prisma.milestone.findUniqueOrThrow({ where: { id: "m-oed" } })).completedDate).toBeNull();

    const again = await press(VIEWER, undone, "ma_milestoneDone");
    clock.advance(10 * 60_000 + 1);
    const late = await press(VIEWER, again, "ma_milestoneUndo");
    expect(late.response_type).toBe("ephemeral");
    expect(JSON.stringify(late)).toMatch(/more than 10 minutes ago/);
    expect((await app.database.prisma.milestone.findUniqueOrThrow({ where: { id: "m-oed" } })).completedDate).toBe("2026-03-02");
    await app.database.prisma.milestone.update({ where: { id: "m-oed" }, data: { completedDate: null, completedAt: null } });
  });

  it("never lists a masked case's id to someone who may not see it, nor puts it on a triage card", async () => {
    // Made before a DM between two people stopped counting as private.
    const faculty = await app.database.prisma.identity.findUniqueOrThrow({ where: { key: `slack:${FACULTY}` } });
    await app.database.prisma.subscription.create({
      data: { platform: "slack", conversationId: "D0PAIRDM", targetType: "case", targetId: "XX-D-AAA", createdById: faculty.personId },
    });
    expect(await command("subscriptions", VIEWER, "D0PAIRDM")).not.toContain("XX-D-AAA");
    expect(await command("subscriptions", FACULTY, "D0PAIRDM")).toContain("XX-D-AAA");
    expect(await command("upcoming 30", VIEWER, GENERAL)).not.toContain("XX-D-AAA");

    const values = { ...slackFormValues(), relatedCases: "BN-B-SAA, XX-D-AAA" };
    const payload = viewSubmission({
      userId: VIEWER,
      callbackId: callbackIdOf("request"),
      viewId: "VMASK",
      state: stateValues(requestFormView(), values),
    });
    const answer = JSON.stringify(await (await postSigned(events, payloadBody(payload))).json());
    const number = /MA-\d{4}-\d{4}/.exec(answer)?.[0];
    expect(number).toBeDefined();
    await app.dispatcher.drain();
    const triage = JSON.stringify(postTo("C0TRIAGE")?.body);
    // BN-B-SAA is on file where the demo cases are (SQLite), marked for faculty where not.
    expect(triage).toMatch(/BN-B-SAA( \(not on file\))? and 1 masked/);
    expect(triage).not.toContain("XX-D-AAA");
    expect(await command(`show ${number}`, FACULTY, GENERAL)).toContain("XX-D-AAA");
    expect(await command(`show ${number}`, VIEWER, GENERAL)).not.toContain("XX-D-AAA");
  });

  it("stops a channel's reminders a case-viewer set up before only faculty could", async () => {
    const viewer = await app.database.prisma.identity.findUniqueOrThrow({ where: { key: `slack:${VIEWER}` } });
    await app.database.prisma.subscription.create({
      data: { platform: "slack", conversationId: "C0LEGACY", targetType: "case", targetId: "BN-D-ZZZ", createdById: viewer.personId },
    });
    await sendReminders();
    expect(postTo("C0LEGACY")).toBeUndefined();
    const row = await app.database.prisma.subscription.findFirstOrThrow({ where: { conversationId: "C0LEGACY" } });
    expect(row.disabledReason).not.toBe("");
  });

  it("on Teams: a channel reminder without case details, a confirm step before Mark done, and details in the 1:1 chat", async () => {
    const say = await postActivity(teams, messageActivity(connector.url, TEAMS_FACULTY, TEAMS_CHANNEL, "subscribe BN-D-ZZZ"));
    expect(say.status).toBe(200);
    await connector.waitFor((call) => cardText(call.body).includes("will get reminders for BN-D-ZZZ"), "the subscribe answer");
    await sendReminders();
    const posted = await connector.waitFor(
      (call) => call.conversationId === TEAMS_CHANNEL.id && cardText(call.body).includes("BN-D-ZZZ: due"),
      "the reminder",
    );
    const card = posted.body.attachments[0].content;
    expect(cardText(card)).not.toContain(TITLE);
    expect(cardText(card)).not.toContain("41.2M");
    const actions = collectActions(card);
    const invoke = (verb: string, data: Record<string, unknown>) =>
      postActivity(teams, invokeActivity(connector.url, TEAMS_FACULTY, TEAMS_CHANNEL, verb, data, posted.activityId));

    // Mark done: the first press only asks.
    const markDone = actions.find((action) => action.verb === "ma_milestoneDone")!;
    const ask = await invoke(markDone.verb, markDone.data);
    expect(cardText(ask.body.value)).toContain("Mark Offer expiration (OED) for BN-D-ZZZ done?");
    expect((await app.database.prisma.milestone.findUniqueOrThrow({ where: { id: "m-oed" } })).completedDate).toBeNull();
    const [yes, no] = collectActions(ask.body.value);
    expect(no?.verb).toBe("ma_reminderBack");
    const back = await invoke(no!.verb, no!.data);
    expect(cardText(back.body.value)).toContain("Offer expiration (OED) for BN-D-ZZZ: due 2026-03-16");
    const done = await invoke(yes!.verb, yes!.data);
    expect(cardText(done.body.value)).toContain("marked done by Morgan Hale on");
    expect(collectActions(done.body.value).map((action) => action.verb)).toEqual(["ma_milestoneUndo"]);
    const undo = collectActions(done.body.value)[0]!;
    expect(cardText((await invoke(undo.verb, undo.data)).body.value)).toContain("Undone by Morgan Hale");

    connector.clear();
    const details = actions.find((action) => action.verb === "ma_reminderDetails")!;
    const answer = await invoke(details.verb, details.data);
    expect(cardText(answer.body.value)).toContain("I sent the details to our private chat");
    const privately = await connector.waitFor((call) => cardText(call.body).includes(TITLE), "the case in the 1:1 chat");
    expect(privately.conversationId).not.toBe(TEAMS_CHANNEL.id);
  });
});

function collectActions(card: unknown): Array<{ verb: string; data: Record<string, unknown> }> {
  const found: Array<{ verb: string; data: Record<string, unknown> }> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const element = node as { type?: string; verb?: string; data?: Record<string, unknown> };
      if (element.type === "Action.Execute") found.push({ verb: element.verb ?? "", data: element.data ?? {} });
      else Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return found;
}
