import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReminderPassFor, type RunningApp, startApp } from "../../src/app.js";
import { requestFormView } from "../../src/chat/forms.js";
import { loadConfig } from "../../src/config.js";
import { addDays, dayInZone, formatDay } from "../../src/core/dates.js";
import { addWorkingDays } from "../../src/core/service-levels/working-days.js";
import { createLogger } from "../../src/logger.js";
import { federalWorkingCalendar } from "../../src/reminders/holidays.js";
import { callbackIdOf } from "../../src/slack/ids.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { type RecordedCall, SlackApiStandIn } from "../helpers/slack-api.js";
import { blockAction, slackFormValues, stateValues, viewSubmission } from "../helpers/slack-payloads.js";
import { payloadBody, postSigned, slackTestEnv, slashCommandBody } from "../helpers/slack-requests.js";

const REQUESTER = "UREQ01";
const DANA = "UFAC01";
const LEE = "UFAC02";
const SAM = "UFAC03";
const ADMIN = "UADM01";
const TRIAGE = "C0TRIAGE";

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as Slack receives it.
type Block = Record<string, any>;

/** The lead picker as a person sees it: each option's text, the pre-selected one marked. */
function pickerDump(view: Block): string[] {
  const select = view.blocks.find((block: Block) => block.block_id === "leadId").element;
  return select.options.map((option: Block) => `${option.value === select.initial_option?.value ? "▸" : " "} ${option.text.text}`);
}

describe.each(DATABASE_KINDS)("faculty workbench over real Bolt and HTTP on $name", (kind) => {
  let db: TestDatabase;
  let slackApi: SlackApiStandIn;
  let app: RunningApp;
  let events: string;
  let counter = 0;
  /** How far ahead of real time the bot's clock runs: the nudge test moves it weeks on. */
  let clockOffset = 0;
  const today = dayInZone(new Date(), "America/New_York");

  beforeAll(async () => {
    db = await kind.create({ migrate: false });
    slackApi = await new SlackApiStandIn().start();
    const env = slackTestEnv(db.url, slackApi.url, { SLACK_TRIAGE_CHANNEL: TRIAGE, ADMIN_USERS: `slack:${ADMIN}` });
    app = await startApp(loadConfig(env), createLogger("silent"), {
      reminders: false,
      clock: { now: () => new Date(Date.now() + clockOffset) },
    });
    events = `http://127.0.0.1:${app.port}/slack/events`;
    for (const [id, name] of [
      [DANA, "Dana Ruiz"],
      [LEE, "Lee Park"],
      [SAM, "Sam Ortiz"],
    ] as const) {
      await app.repositories.people.grant(`slack:${id}`, { role: "faculty" }, "test");
      await app.repositories.people.resolve({ key: `slack:${id}`, displayName: name });
    }
    await app.repositories.people.resolve({ key: `slack:${ADMIN}`, displayName: "Avery Admin" });
  });
  afterAll(async () => {
    await app.close();
    await slackApi.stop();
    await db.dispose();
  });

  /** `/ma <text>` by a user; resolves with what the bot answered through the response URL. */
  async function command(text: string, userId: string): Promise<RecordedCall> {
    const id = `r${++counter}`;
    const response = await postSigned(
      events,
      slashCommandBody({ text, userId, channelId: `D${userId}`, responseUrl: `${slackApi.url}/response/${id}` }),
    );
    expect(response.status).toBe(200);
    return slackApi.waitFor((call) => call.method === "response_url" && call.body.id === id, `the answer to "${text}"`);
  }

  const post = (payload: unknown) => postSigned(events, payloadBody(payload));

  async function submitRequest(): Promise<{ id: string; number: string; card: RecordedCall }> {
    const before = slackApi.calls.length;
    const viewId = `VREQ${++counter}`;
    await post(
      viewSubmission({
        userId: REQUESTER,
        callbackId: callbackIdOf("request"),
        viewId,
        state: stateValues(requestFormView(), slackFormValues()),
      }),
    );
    const card = await slackApi.waitFor(
      (call) => slackApi.calls.indexOf(call) >= before && call.method === "chat.postMessage" && call.body.channel === TRIAGE,
      "the triage card",
    );
    const row = await app.database.prisma.maRequest.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    return { id: row.id, number: row.number, card };
  }

  /** Clicks a card button and returns the modal it opened. */
  async function openForm(userId: string, actionId: string, card: RecordedCall): Promise<Block> {
    const button = card.body.blocks
      .flatMap((block: Block) => block.elements ?? [])
      .find((element: Block) => element.action_id === actionId);
    const before = slackApi.calls.length;
    await post(blockAction({ userId, actionId, value: button.value }));
    const open = await slackApi.waitFor(
      (call) => slackApi.calls.indexOf(call) >= before && call.method === "views.open",
      `the ${actionId} modal`,
    );
    return open.body.view;
  }

  it("fills a saved reply with the request's details in Ask for information, and the requester gets it filled in", async () => {
    const added = await command("template add lor Please send the LOR and the pricing annex for {id} ({title}), {requester}.", DANA);
    expect(added.body.text).toMatch(/Saved reply "lor" added/);
    expect((await command("template add bad Dear {name}, see {id}", DANA)).body.text).toMatch(/Unknown variable \{name\}/);
    expect((await command("template add mine hello", REQUESTER)).body.text).toBe("Only faculty can use saved replies.");
    expect((await command("templates", REQUESTER)).body.text).toBe("Only faculty can use saved replies.");
    expect(await app.database.prisma.replyTemplate.count()).toBe(1);

    const request = await submitRequest();
    const modal = await openForm(DANA, "ma_askInfo", request.card);
    const picker = modal.blocks.find((block: Block) => block.block_id === "template");
    expect(picker.dispatch_action).toBe(true);
    expect(picker.element.action_id).toBe("ma_useTemplate");
    const [option] = picker.element.options;
    expect(option.text.text).toBe("lor");

    // Choosing it: Slack sends the select's action with the open view; the bot updates that view.
    const before = slackApi.calls.length;
    const response = await post({
      ...blockAction({ userId: DANA, actionId: "ma_useTemplate", value: "" }),
      container: { type: "view", view_id: "VASK1" },
      view: {
        id: "VASK1",
        hash: "hash-ask-1",
        type: "modal",
        callback_id: modal.callback_id,
        private_metadata: modal.private_metadata,
        state: {
          values: {
            template: { ma_useTemplate: { type: "static_select", selected_option: { value: option.value } } },
            question: { question: { type: "plain_text_input", value: null } },
          },
        },
      },
      actions: [{ type: "static_select", action_id: "ma_useTemplate", block_id: "template", selected_option: option, action_ts: "1.2" }],
    });
    expect(response.status).toBe(200);
    const update = await slackApi.waitFor(
      (call) => slackApi.calls.indexOf(call) >= before && call.method === "views.update",
      "views.update",
    );
    expect([update.body.view_id, update.body.hash]).toEqual(["VASK1", "hash-ask-1"]);
    const box = update.body.view.blocks.find((block: Block) => block.block_id === "question").element;
    const requester = await app.repositories.people.resolve({ key: `slack:${REQUESTER}` });
    const filled = `Please send the LOR and the pricing annex for ${request.number} (Utility helicopters for Bandaria), ${requester.displayName}.`;
    expect(box.initial_value).toBe(filled);
    // A new element id, or Slack would keep the empty box the person saw.
    expect(box.action_id).not.toBe("question");

    await post(
      viewSubmission({
        userId: DANA,
        callbackId: update.body.view.callback_id,
        viewId: "VASK1",
        hash: "hash-ask-2",
        privateMetadata: update.body.view.private_metadata,
        state: { values: { question: { [box.action_id]: { type: "plain_text_input", value: box.initial_value } } } },
      }),
    );
    const told = await slackApi.waitFor(
      (call) =>
        call.method === "chat.postMessage" && call.body.channel === REQUESTER && JSON.stringify(call.body.blocks).includes("pricing annex"),
      "the question in the requester's DM",
    );
    expect(JSON.stringify(told.body.blocks)).toContain(filled);
    expect((await app.database.prisma.maRequest.findUniqueOrThrow({ where: { id: request.id } })).question).toBe(filled);
  });

  it("marks an away person in the lead picker and never pre-selects them; skills order the rest, each saying why", async () => {
    expect((await command(`away ${today} ${addDays(today, 40)} TDY Bandaria`, LEE)).body.text).toMatch(/Noted/);
    await command("skills BN B FMS helicopters", LEE);
    await command("skills bn pricing workshop", SAM);
    const request = await submitRequest();
    const modal = await openForm(DANA, "ma_accept", request.card);
    const dump = pickerDump(modal);
    expect(dump).toEqual([
      "▸ Sam Ortiz · 2 matching skills · 0 open",
      "  Avery Admin · 0 open",
      "  Dana Ruiz · 0 open",
      `  Lee Park · away until ${formatDay(addDays(today, 40))} · 4 matching skills · 0 open`,
    ]);
    const sam = await app.repositories.people.resolve({ key: `slack:${SAM}` });
    const select = modal.blocks.find((block: Block) => block.block_id === "leadId").element;
    expect(select.initial_option.value).toBe(sam.id);
  });

  it("sends the nudges of a request an away person leads to the admins, saying why", async () => {
    await command(`away ${today} ${addDays(today, 40)}`, LEE);
    const request = await submitRequest();
    const lee = await app.repositories.people.resolve({ key: `slack:${LEE}` });
    const modal = await openForm(DANA, "ma_accept", request.card);
    await post(
      viewSubmission({
        userId: DANA,
        callbackId: modal.callback_id,
        viewId: `VACC${++counter}`,
        privateMetadata: modal.private_metadata,
        state: { values: { leadId: { leadId: { type: "static_select", selected_option: { value: lee.id } } } } },
      }),
    );
    await slackApi.waitFor(
      (call) => call.method === "chat.update" && JSON.stringify(call.body.blocks).includes("lead: Lee Park"),
      "the accepted card",
    );
    // Past the scheduling service level (10 working days), while Lee is still away.
    const later = addWorkingDays(today, 12, federalWorkingCalendar());
    slackApi.clear();
    const at = new Date(`${later}T15:00:00Z`);
    // The bot's clock jumps to that morning (and runs on), so what the pass owes is due.
    clockOffset = at.getTime() - Date.now();
    await createReminderPassFor(app)(at);
    const nudge = await slackApi.waitFor(
      (call) => call.method === "chat.postMessage" && call.body.channel === ADMIN && String(call.body.text).includes(request.number),
      "the lead's nudge, sent to the admin",
    );
    expect(JSON.stringify(nudge.body.blocks)).toContain("You get this because Lee Park is away until");
    // Lee was told of the assignment, but gets no nudge while away.
    expect(
      slackApi.callsTo("chat.postMessage").filter((call) => call.body.channel === LEE && /waited/.test(String(call.body.text))),
    ).toEqual([]);
  });
});
