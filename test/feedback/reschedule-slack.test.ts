import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { submitForm } from "../../src/chat/interactions/submit-form.js";
import { outlookLink } from "../../src/chat/owed-calendar.js";
import { triageCardView } from "../../src/chat/present.js";
import { encodeRequestAction, type FieldKind } from "../../src/chat/views.js";
import { loadConfig } from "../../src/config.js";
import { addDays, dayInZone, instantInZone } from "../../src/core/dates.js";
import { createLogger } from "../../src/logger.js";
import { renderCard } from "../../src/teams/cards.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";
import { blockAction, slackFormValues, stateValues, viewSubmission } from "../helpers/slack-payloads.js";
import { payloadBody, postSigned, slackTestEnv } from "../helpers/slack-requests.js";

const REQUESTER = "UREQ01";
const FACULTY = "UFAC01";
const TRIAGE = "C0TRIAGE";
const ZONE = "America/New_York";

describe.each(DATABASE_KINDS)("Reschedule on a scheduled request's card, over real Bolt, on $name", (kind) => {
  let db: TestDatabase;
  let slackApi: SlackApiStandIn;
  let app: RunningApp;
  let events: string;
  let facultyId = "";
  let keys = 0;

  beforeAll(async () => {
    db = await kind.create({ migrate: false });
    slackApi = await new SlackApiStandIn().start();
    app = await startApp(loadConfig(slackTestEnv(db.url, slackApi.url, { SLACK_TRIAGE_CHANNEL: TRIAGE })), createLogger("silent"), {
      reminders: false,
    });
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

  const current = (id: string) => app.repositories.requests.findById(id).then((request) => request!);
  async function send(user: string, formId: "request" | "accept" | "schedule", state: string, values: Record<string, unknown>) {
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
  const settle = async () => {
    await app.dispatcher.drain();
    await app.dispatcher.drain();
  };

  function submitModal(open: { body: Record<string, unknown> }, values: Record<string, unknown>) {
    const form = open.body.view as {
      blocks: Array<{ type: string; block_id: string; element: { type: string } }>;
      callback_id: string;
      private_metadata: string;
    };
    const kinds: Record<string, FieldKind> = { datepicker: "date", plain_text_input: "textarea" };
    const fields = form.blocks
      .filter((block) => block.type === "input")
      .map((block) => ({ name: block.block_id, label: "", required: false, kind: kinds[block.element.type] ?? "text" }));
    const state = stateValues({ id: "reschedule", title: "", submitLabel: "", state: "", fields }, values);
    return postSigned(
      events,
      payloadBody(
        viewSubmission({
          userId: FACULTY,
          callbackId: form.callback_id,
          viewId: `VR${++keys}`,
          privateMetadata: form.private_metadata,
          state,
        }),
      ),
    );
  }

  it("offers faculty Reschedule on the scheduled card (Slack and Teams), asks for dates and a reason, tells the requester and audits it", async () => {
    const start = addDays(dayInZone(new Date(), ZONE), 20);
    await send(REQUESTER, "request", "", slackFormValues());
    const filed = await app.database.prisma.maRequest.findFirstOrThrow({ orderBy: [{ year: "desc" }, { seq: "desc" }] });
    await send(FACULTY, "accept", encodeRequestAction({ requestId: filed.id, version: filed.version }), { leadId: facultyId });
    const accepted = await current(filed.id);
    await send(FACULTY, "schedule", encodeRequestAction({ requestId: filed.id, version: accepted.version }), {
      start,
      end: addDays(start, 1),
    });
    await settle();
    const scheduled = await current(filed.id);
    // No mailbox here: the requester's notice carries the dates and an "Add to Outlook" link with no CUI in it.
    const notice = slackApi
      .callsTo("chat.postMessage")
      .find((call) => call.body.channel === REQUESTER && String(call.body.text).includes("Scheduled by"));
    const link = `https://outlook.office.com/calendar/deeplink/compose?subject=${scheduled.number}%20Mission%20Assistance&startdt=${encodeURIComponent(instantInZone(start, 9, ZONE).toISOString().replace(".000Z", "Z"))}`;
    expect(JSON.stringify(notice?.body.blocks)).toContain(link.replace(/&/g, "&amp;"));
    expect(JSON.stringify(notice?.body.blocks)).toContain(`📅 Scheduled ${start} to ${addDays(start, 1)} — Add to Outlook`);
    // GCC High opens its own Outlook.
    expect(outlookLink(scheduled, "usgov", ZONE)).toMatch(
      /^https:\/\/outlook\.office365\.us\/calendar\/deeplink\/compose\?subject=MA-\d{4}-\d{4}%20Mission%20Assistance&startdt=/,
    );
    // The triage card (the requester's own card is redrawn too, in their DM).
    const card = slackApi
      .callsTo("chat.update")
      .filter((call) => call.body.channel === TRIAGE)
      .at(-1)!;
    const button = card.body.blocks
      .flatMap((block: { elements?: Array<{ type: string; action_id?: string }> }) => block.elements ?? [])
      .find((element: { action_id?: string }) => element.action_id === "ma_reschedule");
    expect(button?.text.text).toBe("Reschedule");
    // The same action on the Teams card, drawn from the same view.
    expect(JSON.stringify(renderCard(triageCardView(scheduled, "America/New_York")))).toContain("ma_reschedule");

    slackApi.clear();
    await postSigned(events, payloadBody(blockAction({ userId: FACULTY, actionId: "ma_reschedule", value: button.value })));
    const open = await slackApi.waitFor((call) => call.method === "views.open", "the reschedule modal");
    expect(open.body.view.callback_id).toBe("ma_form_reschedule");
    expect(JSON.stringify(open.body.view)).toContain(start);

    const noReason = await submitModal(open, { start: addDays(start, 7), end: addDays(start, 8), reason: "" });
    expect(((await noReason.json()) as { response_action: string }).response_action).toBe("errors");
    expect((await current(filed.id)).scheduledStart).toBe(start);

    const ok = await submitModal(open, {
      start: addDays(start, 7),
      end: addDays(start, 8),
      reason: "The partner's delegation arrives a week later",
    });
    expect(ok.status).toBe(200);
    const moved = await current(filed.id);
    expect(moved).toMatchObject({
      status: "SCHEDULED",
      scheduledStart: addDays(start, 7),
      scheduledEnd: addDays(start, 8),
      calendarSequence: 2,
    });
    await settle();
    const told = slackApi
      .callsTo("chat.postMessage")
      .find((call) => call.body.channel === REQUESTER && String(call.body.text).includes("Rescheduled by Dana Ruiz"));
    expect(told?.body.text).toBe(
      `${moved.number}: Rescheduled by Dana Ruiz: ${addDays(start, 7)} to ${addDays(start, 8)} — The partner's delegation arrives a week later`,
    );
    const history = await app.repositories.requests.history(filed.id);
    expect(history.at(-1)).toMatchObject({
      action: "reschedule",
      fromStatus: "SCHEDULED",
      toStatus: "SCHEDULED",
      note: `${addDays(start, 7)} to ${addDays(start, 8)} (was ${start} to ${addDays(start, 1)}) — The partner's delegation arrives a week later`,
    });
  });

  it("refuses Reschedule to a requester", async () => {
    const request = (await app.repositories.requests.listByStatus(["SCHEDULED"]))[0]!;
    slackApi.clear();
    await postSigned(
      events,
      payloadBody(
        blockAction({
          userId: REQUESTER,
          actionId: "ma_reschedule",
          value: encodeRequestAction({ requestId: request.id, version: request.version }),
          responseUrl: `${slackApi.url}/response/refuse`,
        }),
      ),
    );
    const refusal = await slackApi.waitFor((call) => call.method === "response_url", "the refusal");
    expect(JSON.stringify(refusal.body)).toContain("Only faculty can reschedule");
    expect(slackApi.callsTo("views.open")).toEqual([]);
  });
});
