import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { moveFormView, requestFormView } from "../../src/chat/forms.js";
import { decodeRequestAction, type FieldKind } from "../../src/chat/views.js";
import { loadConfig } from "../../src/config.js";
import { addDays, dayInZone } from "../../src/core/dates.js";
import { createLogger } from "../../src/logger.js";
import { callbackIdOf } from "../../src/slack/ids.js";
import { END_TO_END_DATABASE, type TestDatabase, withDemoCases } from "../helpers/databases.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";
import { blockAction, slackFormValues, stateValues, viewSubmission } from "../helpers/slack-payloads.js";
import { payloadBody, postSigned, slackTestEnv, slashCommandBody } from "../helpers/slack-requests.js";
import { waitForOutboxSettled } from "../helpers/wait.js";

const database = END_TO_END_DATABASE;
const REQUESTER = "UREQ01";
const FACULTY = "UFAC01";
const TRIAGE = "C0TRIAGE";

/** Slack element type → our field kind, to rebuild a modal's state from what was opened. */
function kindOf(elementType: string): FieldKind {
  const kinds: Record<string, FieldKind> = {
    static_select: "select",
    multi_static_select: "multiselect",
    datepicker: "date",
    number_input: "number",
    checkboxes: "checkbox",
    email_text_input: "email",
  };
  return kinds[elementType] ?? "text";
}

describe("Slack adapter over real Bolt and HTTP", () => {
  let db: TestDatabase;
  let slackApi: SlackApiStandIn;
  let app: RunningApp;
  let events: string;
  let viewCounter = 0;

  beforeAll(async () => {
    db = await database.create({ migrate: false });
    slackApi = await new SlackApiStandIn().start();
    app = await startApp(loadConfig(slackTestEnv(db.url, slackApi.url, { SLACK_TRIAGE_CHANNEL: TRIAGE })), createLogger("silent"));
    await withDemoCases(app.database);
    events = `http://127.0.0.1:${app.port}/slack/events`;
    await app.repositories.people.grant(`slack:${FACULTY}`, { role: "faculty" }, "test");
    await app.repositories.people.resolve({ key: `slack:${FACULTY}`, displayName: "Dana Ruiz" });
  });
  afterAll(async () => {
    await app.close();
    await slackApi.stop();
    await db.dispose();
  });
  beforeEach(() => slackApi.clear());

  const command = (text: string, userId = REQUESTER, channelId = "C0GENERAL") =>
    postSigned(
      events,
      slashCommandBody({ text, userId, channelId, responseUrl: `${slackApi.url}/response/${Math.random().toString(36).slice(2)}` }),
    );

  async function submitForm(values: Record<string, unknown>, options: { viewId?: string; retry?: string } = {}) {
    const viewId = options.viewId ?? `VFORM${++viewCounter}`;
    const payload = viewSubmission({
      userId: REQUESTER,
      callbackId: callbackIdOf("request"),
      viewId,
      state: stateValues(requestFormView(), values),
    });
    const response = await postSigned(events, payloadBody(payload), {
      headers: options.retry ? { "x-slack-retry-num": options.retry, "x-slack-retry-reason": "http_timeout" } : {},
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  }

  async function submitGood() {
    const before = await app.database.prisma.maRequest.count();
    const result = await submitForm(slackFormValues());
    expect(result.body.response_action).toBe("update");
    const post = await slackApi.waitFor((call) => call.method === "chat.postMessage" && call.body.channel === TRIAGE, "a triage card");
    expect(await app.database.prisma.maRequest.count()).toBe(before + 1);
    const request = await app.database.prisma.maRequest.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    return { request, post };
  }

  /** A click on a card's button, as Slack delivers it; the answer goes to /response/<responseId>. */
  function click(userId: string, actionId: string, card: { body: Record<string, unknown> }, responseId: string) {
    return postSigned(
      events,
      payloadBody(
        blockAction({ userId, actionId, value: buttonValue(card, actionId), responseUrl: `${slackApi.url}/response/${responseId}` }),
      ),
    );
  }

  function buttonValue(post: { body: Record<string, unknown> }, actionId: string): string {
    const blocks = post.body.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>;
    const button = blocks.flatMap((block) => block.elements ?? []).find((element) => element.action_id === actionId);
    if (!button) throw new Error(`no ${actionId} button`);
    return button.value;
  }

  it("opens the request modal for /ma new, acking at once", async () => {
    const response = await command("new");
    expect(response.status).toBe(200);
    const open = await slackApi.waitFor((call) => call.method === "views.open", "views.open");
    expect(open.body.trigger_id).toMatch(/^trigger\./);
    expect(open.body.view.callback_id).toBe("ma_form_request");
    const blockIds = open.body.view.blocks
      .filter((block: { type: string }) => block.type === "input")
      .map((block: { block_id: string }) => block.block_id);
    expect(blockIds).toEqual(requestFormView().fields.map((field) => field.name));
    expect(open.body.view.title.text.length).toBeLessThanOrEqual(24);
  });

  it("answers bad fields with errors keyed to their input blocks, and stores nothing", async () => {
    const before = await app.database.prisma.maRequest.count();
    const result = await submitForm({ ...slackFormValues(), pocEmail: "pat", travelFunded: false, audienceSize: "0" });
    expect(result.status).toBe(200);
    expect(result.body.response_action).toBe("errors");
    // Every problem at once: the field errors and the cross-field rule (on-site without travel funding).
    expect(Object.keys(result.body.errors).sort()).toEqual(["audienceSize", "pocEmail", "travelFunded"]);
    const crossField = await submitForm({ ...slackFormValues(), travelFunded: false });
    expect(crossField.body.errors).toEqual({ travelFunded: expect.stringMatching(/funds travel/) });
    // Every malformed related case id, each with its own reason; the well-formed one is not named.
    const related = await submitForm({ ...slackFormValues(), relatedCases: "XYZ, BN-B-SAA, BN-Q-AAA" });
    expect(related.body.errors.relatedCases).toMatch(
      /^2 of these are not case ids \(case ids look like CC-I-DDD, for example BN-B-SAA\): "XYZ": id is too short.*; "BN-Q-AAA": unknown implementing agency "Q"/,
    );
    expect(await app.database.prisma.maRequest.count()).toBe(before);
  });

  it("shows each text field's limit on the modal and refuses a longer text naming the limit (issue 26)", async () => {
    await command("new");
    const open = await slackApi.waitFor((call) => call.method === "views.open", "views.open");
    const input = (name: string) => open.body.view.blocks.find((block: { block_id?: string }) => block.block_id === name);
    expect(input("problemStatement").hint.text).toBe("What do you need help with? At least 20, up to 3,000 characters.");
    expect(input("organization").hint.text).toBe("Up to 200 characters.");
    expect(input("desiredOutcome").hint.text).toBe("Up to 1,000 characters.");
    // Slack's client refuses past max_length with its own message (it does not cut); the server checks whatever arrives.
    expect(input("problemStatement").element.max_length).toBe(3000);
    const before = await app.database.prisma.maRequest.count();
    const result = await submitForm({ ...slackFormValues(), problemStatement: "x".repeat(3001), organization: "o".repeat(201) });
    expect(result.body).toEqual({
      response_action: "errors",
      errors: {
        problemStatement: "Problem statement can have at most 3,000 characters",
        organization: "Organization can have at most 200 characters",
      },
    });
    expect(await app.database.prisma.maRequest.count()).toBe(before);
  });

  it("stores a good submission once, DMs the requester and posts one triage card", async () => {
    const { request, post } = await submitGood();
    expect(request.number).toMatch(/^MA-\d{4}-\d{4}$/);
    const dm = await slackApi.waitFor(
      (call) => call.method === "chat.postMessage" && call.body.channel === REQUESTER,
      "the requester's DM",
    );
    expect(dm.body.text).toContain(request.number);
    expect(JSON.stringify(post.body.blocks)).toContain(request.number);
    expect(buttonValue(post, "ma_accept")).toContain(request.id);
  });

  it("keeps one request and one triage post through a retried delivery and a double submit", async () => {
    const before = await app.database.prisma.maRequest.count();
    const values = slackFormValues();
    const [first, doubled] = await Promise.all([submitForm(values, { viewId: "VDUP" }), submitForm(values, { viewId: "VDUP" })]);
    const retried = await submitForm(values, { viewId: "VDUP", retry: "1" });
    for (const result of [first, doubled, retried]) expect(result.body.response_action).toBe("update");
    await slackApi.waitFor((call) => call.method === "chat.postMessage" && call.body.channel === TRIAGE, "a triage card");
    await waitForOutboxSettled(app.database.prisma);
    expect(await app.database.prisma.maRequest.count()).toBe(before + 1);
    expect(slackApi.callsTo("chat.postMessage").filter((call) => call.body.channel === TRIAGE)).toHaveLength(1);
  });

  it("keeps the modal open and filled in when saving fails", async () => {
    const prisma = app.database.prisma;
    await prisma.$executeRawUnsafe(`ALTER TABLE "MaRequest" RENAME TO "MaRequest_away"`);
    try {
      const values = slackFormValues();
      const result = await submitForm(values);
      expect(result.body.response_action).toBe("update");
      expect(result.body.view.callback_id).toBe("ma_form_request");
      expect(JSON.stringify(result.body.view.blocks)).toMatch(/could not save your request/);
      const problem = result.body.view.blocks.find((block: { block_id?: string }) => block.block_id === "problemStatement");
      expect(problem.element.initial_value).toBe(values.problemStatement);
    } finally {
      await prisma.$executeRawUnsafe(`ALTER TABLE "MaRequest_away" RENAME TO "MaRequest"`);
    }
  });

  it("refuses a triage click by a non-faculty user and changes nothing", async () => {
    const { request, post } = await submitGood();
    const response = await click(REQUESTER, "ma_accept", post, "refuse");
    expect(response.status).toBe(200);
    const refusal = await slackApi.waitFor((call) => call.method === "response_url" && call.body.id === "refuse", "an ephemeral refusal");
    expect(refusal.body.response_type).toBe("ephemeral");
    expect(refusal.body.text).toMatch(/Only faculty can accept and assign/);
    // The card keeps its buttons: the refusal is a message beside it, never a replacement.
    expect(refusal.body.replace_original).toBe(false);
    expect(slackApi.callsTo("chat.update")).toHaveLength(0);
    expect(slackApi.callsTo("views.open")).toHaveLength(0);
    const stored = await app.database.prisma.maRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect([stored.status, stored.version]).toEqual(["SUBMITTED", 1]);
  });

  it("runs every triage move: card updated in place and the requester told", async () => {
    const { request, post } = await submitGood();
    // The card's ts is recorded once Slack has answered the post.
    let triageTs = "";
    for (let attempt = 0; attempt < 200 && triageTs === ""; attempt++) {
      triageTs = (await app.database.prisma.triageCard.findFirst({ where: { requestId: request.id } }))?.messageId ?? "";
      if (triageTs === "") await new Promise((resolve) => setTimeout(resolve, 10));
    }

    // Accept: the click opens a modal with the faculty and their load; submitting it moves the request.
    await click(FACULTY, "ma_accept", post, "a");
    const modal = await slackApi.waitFor((call) => call.method === "views.open", "the accept modal");
    expect(modal.body.view.callback_id).toBe("ma_form_accept");
    expect(JSON.stringify(modal.body.view)).toMatch(/Dana Ruiz · \d+ open/);
    expect(JSON.stringify(modal.body.view)).toContain("Faculty who are away are never suggested.");
    const state = decodeRequestAction(modal.body.view.private_metadata)!;
    const facultyPerson = await app.repositories.people.resolve({ key: `slack:${FACULTY}` });
    const submit = (formId: "accept" | "schedule", values: Record<string, unknown>, version: number) =>
      postSigned(
        events,
        payloadBody(
          viewSubmission({
            userId: FACULTY,
            callbackId: callbackIdOf(formId),
            viewId: `VMOVE${++viewCounter}`,
            privateMetadata: JSON.stringify({ r: state.requestId, v: version }),
            state: stateValues(
              moveFormView(formId, { id: request.id, version, form: { preferredStart: "", preferredEnd: "" } } as never),
              values,
            ),
          }),
        ),
      );
    slackApi.clear();
    expect((await submit("accept", { leadId: facultyPerson.id, note: "Dana calls you Monday" }, 1)).status).toBe(200);
    const updated = await slackApi.waitFor((call) => call.method === "chat.update", "the card update");
    expect(triageTs).toMatch(/^\d+\.\d+$/);
    expect([updated.body.channel, updated.body.ts]).toEqual([TRIAGE, triageTs]);
    expect(JSON.stringify(updated.body.blocks)).toMatch(/Accepted by/);
    const told = await slackApi.waitFor(
      (call) => call.method === "chat.postMessage" && call.body.channel === REQUESTER,
      "the requester's notice",
    );
    expect(told.body.text).toMatch(/Accepted by .*lead: Dana Ruiz/);
    // The history names the lead, with the note beside it.
    slackApi.clear();
    await command(`show ${request.number}`, FACULTY);
    const shown = await slackApi.waitFor((call) => call.method === "response_url", "the request's history");
    expect(JSON.stringify(shown.body.blocks)).toContain("Dana Ruiz accepted and assigned: Lead: Dana Ruiz — Dana calls you Monday");

    // A stale click on the old card (version 1) is refused with the current card.
    slackApi.clear();
    await click(FACULTY, "ma_decline", post, "stale");
    const stale = await slackApi.waitFor((call) => call.method === "response_url" && call.body.id === "stale", "the stale-click answer");
    expect(JSON.stringify(stale.body.blocks)).toMatch(/changed since you opened it; here is the current version/);

    // Schedule (starting today), then confirm delivery in its modal.
    slackApi.clear();
    const start = dayInZone(new Date(), "America/New_York");
    await submit("schedule", { start, end: addDays(start, 1) }, 2);
    await slackApi.waitFor(
      (call) => call.method === "chat.update" && JSON.stringify(call.body.blocks).includes("Scheduled by"),
      "the scheduled card",
    );
    const scheduledCard = slackApi.callsTo("chat.update").at(-1)!;
    slackApi.clear();
    await click(FACULTY, "ma_deliver", scheduledCard, "d");
    const confirm = await slackApi.waitFor((call) => call.method === "views.open", "the delivery confirmation");
    expect(confirm.body.view.callback_id).toBe("ma_form_deliver");
    await submitModal(FACULTY, confirm, { note: "Two sessions held" });
    const delivered = await slackApi.waitFor(
      (call) => call.method === "chat.update" && JSON.stringify(call.body.blocks).includes("Marked delivered"),
      "the delivered card",
    );
    expect(JSON.stringify(delivered.body.blocks)).toContain("Two sessions held");
    expect(JSON.stringify(delivered.body.blocks)).not.toMatch(/ma_accept|ma_decline/);
    const history = await app.repositories.requests.history(request.id);
    expect(history.map((event) => event.toStatus)).toEqual(["SUBMITTED", "ACCEPTED", "SCHEDULED", "DELIVERED"]);
  });

  /** Submits the modal a views.open call opened, with these values, as `userId`. */
  async function submitModal(userId: string, open: { body: Record<string, unknown> }, values: Record<string, unknown>) {
    const form = open.body.view as {
      blocks: Array<{ type: string; block_id: string; element: { type: string } }>;
      callback_id: string;
      private_metadata: string;
    };
    const fields = form.blocks.filter((block: { type: string }) => block.type === "input");
    const state = stateValues(
      {
        id: "request",
        title: "",
        submitLabel: "",
        state: "",
        fields: fields.map((block: { block_id: string; element: { type: string } }) => ({
          name: block.block_id,
          label: "",
          required: false,
          kind: kindOf(block.element.type),
        })),
      },
      values,
    );
    return postSigned(
      events,
      payloadBody(
        viewSubmission({
          userId,
          callbackId: form.callback_id,
          viewId: `VM${++viewCounter}`,
          privateMetadata: form.private_metadata,
          state,
        }),
      ),
    );
  }

  it("lets the requester answer a question and withdraw from the buttons in their DM", async () => {
    const { request, post } = await submitGood();
    await click(FACULTY, "ma_askInfo", post, "q");
    const questionModal = await slackApi.waitFor((call) => call.method === "views.open", "the question modal");
    slackApi.clear();
    await submitModal(FACULTY, questionModal, { question: "Which LOA line items?" });
    const dm = await slackApi.waitFor(
      (call) => call.method === "chat.postMessage" && call.body.channel === REQUESTER && String(call.body.text).includes("asked"),
      "the question in the requester's DM",
    );
    expect(dm.body.text).toMatch(/Dana Ruiz asked for information/);
    // The question is on the requester's card once.
    expect(JSON.stringify(dm.body.blocks).split("Which LOA line items?")).toHaveLength(2);
    slackApi.clear();
    await click(REQUESTER, "ma_answer", dm, "ans");
    const answerModal = await slackApi.waitFor((call) => call.method === "views.open", "the answer modal");
    expect(JSON.stringify(answerModal.body.view)).toContain("Which LOA line items?");
    await submitModal(REQUESTER, answerModal, { answer: "Lines 001-004" });
    await slackApi.waitFor(
      (call) => call.method === "chat.update" && JSON.stringify(call.body.blocks).includes("answered: Lines 001-004"),
      "the card update",
    );
    expect((await app.database.prisma.maRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("SUBMITTED");
    const current = slackApi.callsTo("chat.update").at(-1)!;
    slackApi.clear();
    // The triage card's buttons are faculty's; the requester withdraws from their own card.
    const card = {
      body: { blocks: [{ type: "actions", elements: [{ action_id: "ma_withdraw", value: buttonValue(current, "ma_accept") }] }] },
    };
    await click(REQUESTER, "ma_withdraw", card, "w");
    const confirm = await slackApi.waitFor((call) => call.method === "views.open", "the withdraw confirmation");
    expect(JSON.stringify(confirm.body.view)).toMatch(/cannot be undone/);
    await submitModal(REQUESTER, confirm, {});
    await slackApi.waitFor(
      (call) => call.method === "chat.update" && JSON.stringify(call.body.blocks).includes("Withdrawn by"),
      "the withdrawn card",
    );
    expect((await app.database.prisma.maRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("WITHDRAWN");
  });

  it("asks for information and declines through their modals, with field errors kept in the modal", async () => {
    const { request, post } = await submitGood();
    await click(FACULTY, "ma_decline", post, "x");
    const modal = await slackApi.waitFor((call) => call.method === "views.open", "the decline modal");
    const missingReason = await submitModal(FACULTY, modal, {});
    expect(await missingReason.json()).toEqual({ response_action: "errors", errors: { reason: expect.any(String) } });
    const declined = await submitModal(FACULTY, modal, { reason: "DUPLICATE", note: "Same as last month" });
    expect(declined.status).toBe(200);
    await slackApi.waitFor(
      (call) => call.method === "chat.update" && JSON.stringify(call.body.blocks).includes("Declined by"),
      "the declined card",
    );
    expect((await app.database.prisma.maRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("DECLINED");
  });

  it("refuses forged, stale and future signatures with 401 and oversized bodies with 413", async () => {
    const body = slashCommandBody({ text: "help", userId: REQUESTER, responseUrl: `${slackApi.url}/response/sig` });
    const now = Math.floor(Date.now() / 1000);
    expect((await postSigned(events, body, { secret: "not-the-secret" })).status).toBe(401);
    expect((await postSigned(events, body, { signature: "v0=00" })).status).toBe(401);
    expect((await postSigned(events, body, { timestamp: now - 301 })).status).toBe(401);
    expect((await postSigned(events, body, { timestamp: now + 3600 })).status).toBe(401);
    expect((await postSigned(events, body, { timestamp: now })).status).toBe(200);
    const huge = `${body}&padding=${"x".repeat(4 * 1024 * 1024 + 10)}`;
    expect((await postSigned(events, huge)).status).toBe(413);
    // The accepted command's help goes to its response_url after the ack; arriving after the
    // next test's clear(), it was taken for that test's answer.
    await slackApi.waitFor((call) => call.method === "response_url" && call.body.id === "sig", "the accepted command's help");
  });

  it("answers Slack's URL verification and SSL check, also with a query string on the events URL", async () => {
    const challenge = JSON.stringify({ type: "url_verification", token: "legacy", challenge: "challenge-4711" });
    const verified = await postSigned(events, challenge, { headers: { "content-type": "application/json" } });
    expect(verified.status).toBe(200);
    expect(await verified.json()).toEqual({ challenge: "challenge-4711" });
    const checked = await postSigned(`${events}?from=ssl`, "ssl_check=1&token=legacy");
    expect(checked.status).toBe(200);
    expect(await checked.text()).toBe("");
    const body = slashCommandBody({ text: "help", userId: REQUESTER, responseUrl: `${slackApi.url}/response/query` });
    expect((await postSigned(`${events}?from=query`, body)).status).toBe(200);
    await slackApi.waitFor((call) => call.method === "response_url" && call.body.id === "query", "the help answer");
  });

  it("answers a case lookup ephemerally, marked CUI, and denies it to a requester", async () => {
    await command("case BN-B-SAA", FACULTY, "C0GENERAL");
    const answer = await slackApi.waitFor((call) => call.method === "response_url", "the case answer");
    expect(answer.body.response_type).toBe("ephemeral");
    expect(answer.body.blocks[0]).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "CUI — Controlled Unclassified Information", verbatim: true }],
    });
    expect(JSON.stringify(answer.body.blocks)).toContain("BN-B-SAA");
    slackApi.clear();
    await command("case BN-B-SAA", REQUESTER, "C0GENERAL");
    const denied = await slackApi.waitFor((call) => call.method === "response_url", "the denial");
    expect(denied.body.response_type).toBe("ephemeral");
    expect(denied.body.text).toMatch(/Case BN-B-SAA was not found, or you do not have access to it\./);
  });

  it("accepts a well-formed case id not on file, and marks it 'not on file' for faculty only (issue 26)", async () => {
    const result = await submitForm({ ...slackFormValues(), relatedCases: "BN-B-SAA, bn p zz9" });
    expect(result.body.response_action).toBe("update");
    const request = await app.database.prisma.maRequest.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    const post = await slackApi.waitFor(
      (call) => call.method === "chat.postMessage" && call.body.channel === TRIAGE && JSON.stringify(call.body).includes(request.number),
      "the triage card",
    );
    expect(JSON.stringify(post.body.blocks)).toContain("BN-B-SAA, BN-P-ZZ9 (not on file)");
    const dm = await slackApi.waitFor(
      (call) =>
        call.method === "chat.postMessage" &&
        call.body.channel === REQUESTER &&
        String(call.body.text).includes(`${request.number} was received`),
      "the requester's DM",
    );
    expect(JSON.stringify(dm.body.blocks)).toContain("BN-B-SAA, BN-P-ZZ9");
    expect(JSON.stringify(dm.body.blocks)).not.toContain("not on file");
    slackApi.clear();
    await command(`show ${request.number}`, FACULTY, "C0GENERAL");
    const shown = await slackApi.waitFor((call) => call.method === "response_url", "faculty's show");
    expect(JSON.stringify(shown.body.blocks)).toContain("BN-B-SAA, BN-P-ZZ9 (not on file)");
    slackApi.clear();
    await command(`show ${request.number}`, REQUESTER, "C0GENERAL");
    const own = await slackApi.waitFor((call) => call.method === "response_url", "the requester's show");
    expect(JSON.stringify(own.body.blocks)).toContain("BN-P-ZZ9");
    expect(JSON.stringify(own.body.blocks)).not.toContain("not on file");
  });

  it("redraws the requester's received card as faculty move it: Edit goes on acceptance, Withdraw on decline (issue 26)", async () => {
    const { request } = await submitGood();
    const buttonsOf = (call: { body: Record<string, unknown> }) =>
      (call.body.blocks as Array<{ elements?: Array<{ action_id: string }> }>)
        .flatMap((block) => block.elements ?? [])
        .map((element) => element.action_id);
    const received = await slackApi.waitFor(
      (call) => call.method === "chat.postMessage" && call.body.channel === REQUESTER && String(call.body.text).includes("was received"),
      "the received card",
    );
    expect(buttonsOf(received)).toEqual(["ma_withdraw", "ma_edit"]);
    let stored = null;
    for (let attempt = 0; attempt < 200 && !stored; attempt++) {
      stored = await app.database.prisma.requesterCard.findFirst({ where: { requestId: request.id } });
      if (!stored) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(stored).toMatchObject({ platform: "slack", conversationId: REQUESTER, drawnVersion: 1 });
    const facultyPerson = await app.repositories.people.resolve({ key: `slack:${FACULTY}` });
    const move = (formId: "accept" | "decline", values: Record<string, unknown>, version: number) =>
      postSigned(
        events,
        payloadBody(
          viewSubmission({
            userId: FACULTY,
            callbackId: callbackIdOf(formId),
            viewId: `VMOVE${++viewCounter}`,
            privateMetadata: JSON.stringify({ r: request.id, v: version }),
            state: stateValues(moveFormView(formId, { id: request.id, version, form: {} } as never), values),
          }),
        ),
      );
    slackApi.clear();
    await move("accept", { leadId: facultyPerson.id }, 1);
    const accepted = await slackApi.waitFor(
      (call) => call.method === "chat.update" && call.body.channel === REQUESTER && call.body.ts === stored?.messageId,
      "the received card redrawn",
    );
    expect(JSON.stringify(accepted.body.blocks)).toContain("was received");
    expect(JSON.stringify(accepted.body.blocks)).toContain("Accepted since");
    expect(buttonsOf(accepted)).toEqual(["ma_withdraw"]);
    slackApi.clear();
    await move("decline", { reason: "NO_CAPACITY" }, 2);
    const declined = await slackApi.waitFor(
      (call) =>
        call.method === "chat.update" && call.body.channel === REQUESTER && JSON.stringify(call.body.blocks).includes("Declined since"),
      "the received card without buttons",
    );
    expect(buttonsOf(declined)).toEqual([]);
  });

  it("answers unknown words with help, privately", async () => {
    await command("lsit");
    const answer = await slackApi.waitFor((call) => call.method === "response_url", "help");
    expect(answer.body.response_type).toBe("ephemeral");
    expect(answer.body.text).toMatch(/Did you mean `\/ma list`/);
  });

  it("publishes App Home with the user's requests, and the queue for faculty", async () => {
    const event = (user: string) =>
      JSON.stringify({
        token: "legacy",
        team_id: "T0TEAM",
        api_app_id: "A0APP",
        type: "event_callback",
        event_id: `Ev${Math.random()}`,
        event_time: 1,
        event: { type: "app_home_opened", user, channel: "D0", tab: "home" },
      });
    const post = (body: string) => {
      const timestamp = Math.floor(Date.now() / 1000);
      return fetch(events, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-slack-request-timestamp": String(timestamp),
          "x-slack-signature": signatureOf(body, timestamp),
        },
        body,
      });
    };
    expect((await post(event(FACULTY))).status).toBe(200);
    const home = await slackApi.waitFor((call) => call.method === "views.publish" && call.body.user_id === FACULTY, "App Home");
    expect(JSON.stringify(home.body.view)).toMatch(/Triage queue/);
    await post(event(REQUESTER));
    const mine = await slackApi.waitFor((call) => call.method === "views.publish" && call.body.user_id === REQUESTER, "requester App Home");
    expect(JSON.stringify(mine.body.view)).toMatch(/Your requests/);
    expect(JSON.stringify(mine.body.view)).not.toMatch(/Triage queue/);
  });
});

import { signature as signatureOf } from "../helpers/slack-requests.js";
