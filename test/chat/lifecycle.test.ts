import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/chat/commands.js";
import { type ChatContext, type ChatReply, handleCommand } from "../../src/chat/handle-command.js";
import { plainText } from "../../src/chat/inert.js";
import type { Outcome } from "../../src/chat/interactions/outcome.js";
import { submitForm } from "../../src/chat/interactions/submit-form.js";
import { encodeRequestAction, type FormId, type MessageView } from "../../src/chat/views.js";
import { exportRequests } from "../../src/cli/export.js";
import { fixedClock } from "../../src/core/clock.js";
import type { Actor, MaRequest } from "../../src/core/model.js";
import { createPrismaRepositories } from "../../src/db/repositories/index.js";
import { createMailStore } from "../../src/db/repositories/mail.js";
import { createLogger } from "../../src/logger.js";
import { createEmailChannel } from "../../src/mail/channel.js";
import type { MailTransport, OutgoingMail } from "../../src/mail/transport.js";
import { createDispatcher } from "../../src/outbox/dispatcher.js";
import { serviceSettings } from "../../src/reminders/holidays.js";
import { createReminderPass } from "../../src/reminders/pass.js";
import { actorWith, interactionDeps, validForm } from "../helpers/core.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { RecordingChannel } from "../helpers/reminders.js";

/** In every note: found anywhere addressed to a requester, the note leaked. */
const MARKER = "ZQX-INTERNAL-4471";
const TRIAGE = "C0TRIAGE";

function viewText(view: MessageView): string {
  return plainText(
    view.blocks
      .map((block) => {
        if (block.type === "fields") return block.fields.map((field) => `${field.label}: ${field.value}`).join("\n");
        if (block.type === "actions") return block.actions.map((action) => `[${action.label}]`).join(" ");
        if (block.type === "divider") return "---";
        return block.text;
      })
      .join("\n"),
  ).replace(/\*/g, "");
}

const replyText = (reply: ChatReply) => (reply.kind === "message" ? viewText(reply.view) : `(form ${reply.form.id})`);

/** A mail server that keeps what it is given. */
function recordingTransport(): MailTransport & { sent: OutgoingMail[] } {
  const sent: OutgoingMail[] = [];
  return {
    name: "recording",
    sent,
    readUnread: async () => 0,
    send: async (mail) => {
      sent.push(mail);
    },
    check: async () => [],
    close: async () => {},
  };
}

describe.each(DATABASE_KINDS)("notes, reopen, merge and the paused clock on $name", (kind) => {
  let db: TestDatabase;
  const clock = fixedClock("2026-03-02T17:00:00Z");
  let slack: RecordingChannel;
  let mail: ReturnType<typeof recordingTransport>;
  let core: ReturnType<typeof createPrismaRepositories> & ReturnType<typeof serviceSettings> & { clock: typeof clock; timeZone: string };
  let deps: ReturnType<typeof interactionDeps>;
  let dispatcher: ReturnType<typeof createDispatcher>;
  let pass: ReturnType<typeof createReminderPass>;
  let jordan: Actor;
  let pat: Actor;
  let dana: Actor;
  let lee: Actor;
  /** What each requester was shown, in order: the leak check reads all of it, and the report pastes it. */
  const requesterSaw: Array<{ who: string; step: string; text: string }> = [];
  const DM: ChatContext = { platform: "slack", conversationId: "D0DM", isPersonal: true, prefix: "/ma " };

  const run = async (actor: Actor, words: string, step = words) => {
    const reply = await handleCommand(deps, { key: actor.identityKey }, parseCommand(words), DM);
    const text = replyText(reply);
    if (actor === jordan || actor === pat) requesterSaw.push({ who: actor.displayName, step: `typed: ${step}`, text });
    return text;
  };

  async function form(actor: Actor, formId: FormId, request: MaRequest | undefined, values: Record<string, unknown>): Promise<Outcome> {
    const current = request ? await core.requests.findById(request.id) : undefined;
    const outcome = await submitForm(deps, {
      identity: { key: actor.identityKey },
      platform: actor.identityKey.startsWith("email:") ? "email" : "slack",
      formId,
      state: current ? encodeRequestAction({ requestId: current.id, version: current.version }) : "",
      values: values as never,
      idempotencyKey: `${formId}:${Math.random()}`,
    });
    if (outcome.kind !== "done") throw new Error(`${formId} was ${outcome.kind}: ${JSON.stringify(outcome)}`);
    if (actor === jordan || actor === pat) {
      const shown = [outcome.notice, ...(outcome.card ? [outcome.card] : [])].map(viewText).join("\n");
      requesterSaw.push({ who: actor.displayName, step: `${formId} form, the answer`, text: shown });
    }
    return outcome;
  }

  async function submit(actor: Actor, program: string): Promise<MaRequest> {
    await form(actor, "request", undefined, validForm({ program, pocEmail: "poc@army.mil" }));
    const all = await core.requests.listByRequester(actor.id);
    return all.find((request) => request.form.program === program)!;
  }

  /** Sends what is owed, and records what each requester was sent (chat and mail). */
  async function deliver(step: string, send: () => Promise<unknown> = () => dispatcher.drain()): Promise<void> {
    const [chatBefore, mailBefore] = [slack.sent.length, mail.sent.length];
    await send();
    await dispatcher.drain();
    for (const sent of slack.sent.slice(chatBefore)) {
      if (sent.conversationId === `@${jordan.identityKey}`)
        requesterSaw.push({ who: "Jordan Lee (Slack)", step, text: viewText(sent.view) });
    }
    for (const sent of mail.sent.slice(mailBefore))
      requesterSaw.push({ who: "Pat Kim (e-mail)", step, text: `${sent.subject}\n${sent.text}` });
  }

  beforeAll(async () => {
    db = await kind.create();
    core = { ...createPrismaRepositories(db.database), clock, timeZone: "America/New_York", ...serviceSettings() };
    slack = new RecordingChannel(() => clock.now().getTime());
    mail = recordingTransport();
    const email = createEmailChannel({
      transport: mail,
      store: createMailStore(db.database),
      requests: core.requests,
      address: "dsmc-i@dau.example",
      clock,
    });
    deps = interactionDeps(core, [slack, email]);
    const log = createLogger("silent");
    dispatcher = createDispatcher({ core, channels: [slack, email], sleep: async () => {}, timeZone: core.timeZone, log });
    pass = createReminderPass({
      core,
      dispatcher,
      offsets: [7, 1, 0],
      timeZone: core.timeZone,
      platforms: [slack, email],
      digestTime: "08:30",
      log,
    });
    jordan = await actorWith(core, "slack:UREQ", "Jordan Lee");
    pat = await core.people.resolve({ key: "email:pat.kim@navy.mil", displayName: "Pat Kim", email: "pat.kim@navy.mil" });
    dana = await actorWith(core, "slack:UDANA", "Dana Ruiz", [{ role: "faculty" }]);
    lee = await actorWith(core, "slack:ULEE", "Lee Park", [{ role: "faculty" }]);
    const admin = await actorWith(core, "slack:UADMIN", "Avery Admin", [{ role: "admin" }]);
    await handleCommand(deps, { key: admin.identityKey }, parseCommand("triage-here"), {
      ...DM,
      conversationId: TRIAGE,
      isPersonal: false,
    });
  });
  afterAll(async () => {
    if (process.env.LIFECYCLE_TRANSCRIPT && kind.name === "sqlite") {
      writeFileSync(
        process.env.LIFECYCLE_TRANSCRIPT,
        requesterSaw.map((entry) => `### ${entry.who} — ${entry.step}\n${entry.text}\n`).join("\n"),
      );
    }
    await db.dispose();
  });

  it("keeps internal notes from every message a request causes to its requester, and shows them to faculty", async () => {
    // R1 (Jordan, Slack): the whole life — submitted, asked, answered, accepted, scheduled, delivered, reopened, declined.
    const r1 = await submit(jordan, "Night vision devices for Bandaria");
    await deliver("submitted");
    expect(await run(jordan, `note ${r1.number} ${MARKER} mine`)).toBe("Only faculty can add internal notes.");
    expect(await run(dana, `note ${r1.number} ${MARKER} budget line is not firm yet`)).toMatch(/Internal note added to/);
    await form(dana, "askInfo", r1, { question: "Which LOR version?" });
    await deliver("asked for information");
    await form(jordan, "answer", r1, { answer: "The March draft." });
    await deliver("answered");
    await form(dana, "accept", r1, { leadId: lee.id });
    await deliver("accepted");
    await form(lee, "schedule", r1, { start: "2026-03-09", end: "2026-03-10" });
    await deliver("scheduled");
    await run(lee, `note ${r1.number} ${MARKER} second note, after scheduling`);
    // Reminders of the session and the morning digests, up to its day.
    for (const day of ["2026-03-03", "2026-03-06", "2026-03-09"]) {
      clock.set(`${day}T13:45:00Z`);
      await deliver(`reminder pass ${day}`, () => pass(clock.now()));
    }
    clock.set("2026-03-10T20:00:00Z");
    await form(lee, "deliver", r1, { note: "Good session." });
    await deliver("delivered");

    // R2 (Pat, e-mail): submitted, noted, withdrawn.
    const r2 = await submit(pat, "Frigate sustainment");
    await run(dana, `note ${r2.number} ${MARKER} on the e-mail request`);
    await deliver("submitted by e-mail");
    await form(pat, "withdraw", r2, { note: "Not needed after all." });
    await deliver("withdrawn");

    // R1 comes back within the window, to its lead.
    const reopened = await run(jordan, `reopen ${r1.number} The follow-up workshop needs the pricing annex too.`);
    expect(reopened).toBe(
      `${r1.number}: Reopened by Jordan Lee: The follow-up workshop needs the pricing annex too. — back with its lead, Lee Park`,
    );
    await deliver("reopened");

    // R3 (Pat) duplicates R1: merged; Pat follows R1 and is told once, then gets R1's changes.
    const r3 = await submit(pat, "Night vision devices, again");
    await run(dana, `note ${r3.number} ${MARKER} looks like a duplicate`);
    await deliver("submitted the duplicate");
    expect(await run(dana, `merge ${r3.number} into ${r1.number}`)).toBe(
      `${r3.number} closed as a duplicate of ${r1.number}. Pat Kim now follows ${r1.number} and was told.`,
    );
    await deliver("merged");
    await form(lee, "decline", r1, { reason: "NO_CAPACITY", note: "No faculty free for a second round." });
    await deliver("declined");

    // R4 (Jordan): waits on its requester past the answer service level (nudges, digests).
    const r4 = await submit(jordan, "BPC training plan");
    await run(dana, `note ${r4.number} ${MARKER} ask about funding`);
    await form(dana, "askInfo", r4, { question: "Who funds travel?" });
    await deliver("asked for information (R4)");
    for (const day of ["2026-03-18", "2026-03-19", "2026-03-20"]) {
      clock.set(`${day}T13:45:00Z`);
      await deliver(`reminder pass ${day}`, () => pass(clock.now()));
    }
    // What a requester can read or run: show, list, home, the export.
    for (const request of [r1, r4]) await run(jordan, `show ${request.number}`);
    await run(jordan, "list");
    await run(jordan, "home");
    await run(pat, `show ${r3.number}`);
    await run(pat, "list");
    const exported = (await exportRequests(core, "csv")).text;

    // Not vacuous: each requester was sent a message for every step that concerns them.
    const jordanSteps = new Set(requesterSaw.filter((entry) => entry.who.startsWith("Jordan")).map((entry) => entry.step));
    for (const step of ["submitted", "asked for information", "accepted", "scheduled", "delivered", "declined"]) {
      expect(jordanSteps, step).toContain(step);
    }
    expect([...jordanSteps].some((step) => step.startsWith("reminder pass 2026-03-0"))).toBe(true);
    expect([...jordanSteps].some((step) => step.startsWith("reminder pass 2026-03-1"))).toBe(true);
    const patSteps = new Set(requesterSaw.filter((entry) => entry.who.startsWith("Pat")).map((entry) => entry.step));
    for (const step of ["submitted by e-mail", "withdraw form, the answer", "merged", "declined"]) expect(patSteps, step).toContain(step);

    // The leak check: nothing addressed to a requester, and nothing they can run, carries a note.
    const leaks = requesterSaw.filter((entry) => entry.text.includes(MARKER));
    expect(leaks).toEqual([]);
    const owedToRequesters = await db.database.prisma.outbox.findMany({
      where: { conversationId: { in: [`@${jordan.identityKey}`, `@${pat.identityKey}`] } },
    });
    expect(owedToRequesters.length).toBeGreaterThan(10);
    expect(owedToRequesters.filter((row) => row.body.includes(MARKER))).toEqual([]);
    expect(mail.sent.filter((sent) => sent.text.includes(MARKER) || sent.subject.includes(MARKER))).toEqual([]);
    // Digests are posted where anyone in the channel reads them.
    const digests = slack.sent.filter((sent) => sent.conversationId === TRIAGE && /digest|today|waiting/i.test(sent.text));
    expect(digests.length).toBeGreaterThan(0);
    expect(digests.filter((sent) => viewText(sent.view).includes(MARKER))).toEqual([]);
    expect(exported).not.toContain(MARKER);

    // …and it is there for faculty: their show and the triage cards.
    expect(await run(dana, `show ${r1.number}`)).toContain(`${MARKER} budget line is not firm yet`);
    expect(await run(lee, `show ${r4.number}`)).toContain("🔒 added an internal note (faculty only)");
    const cardViews = [
      ...slack.sent.filter((sent) => sent.conversationId === TRIAGE).map((sent) => sent.view),
      ...slack.updates.map((u) => u.view),
    ];
    expect(cardViews.filter((view) => viewText(view).includes(`${MARKER} second note, after scheduling`)).length).toBeGreaterThan(0);
    expect(viewText(cardViews.at(-1)!)).toContain("Internal notes (faculty only)");
    // The notes are in the audit trail.
    const audited = await db.database.prisma.auditEvent.count({ where: { action: "note", note: { contains: MARKER } } });
    expect(audited).toBe(5);
  });

  it("refuses a reopen past the window with the day it closed and how to file anew; the window is configurable", async () => {
    const [r1] = (await core.requests.listByRequester(jordan.id)).filter((request) =>
      request.form.program.startsWith("Night vision devices for"),
    );
    // Declined on 2026-03-10; 10 working days later is 2026-03-24. Today is 2026-03-20: still open.
    clock.set("2026-03-25T15:00:00Z");
    expect(await run(jordan, `reopen ${r1!.number} please`)).toBe(
      `${r1!.number} closed on 2026-03-10; it could be reopened until 2026-03-24 (10 working days). ` +
        `Please file a new request with \`new\` and name ${r1!.number} in its problem statement, so faculty see the link.`,
    );
    core.serviceLevels = { ...core.serviceLevels, reopenWindowDays: 20 };
    try {
      expect(await run(dana, `reopen ${r1!.number} Capacity freed up`)).toMatch(
        /Reopened by Dana Ruiz: Capacity freed up — back with its lead, Lee Park/,
      );
    } finally {
      core.serviceLevels = { ...core.serviceLevels, reopenWindowDays: 10 };
    }
    const stored = (await core.requests.findById(r1!.id))!;
    expect([stored.status, stored.statusSince.toISOString(), stored.declineReason]).toEqual([
      "ACCEPTED",
      "2026-03-25T15:00:00.000Z",
      undefined,
    ]);
    // The lead and the follower are told; the card is redrawn in place (an update, not a new post).
    const updatesBefore = slack.updates.length;
    const postsBefore = slack.sent.filter((sent) => sent.conversationId === TRIAGE).length;
    await deliver("reopened by faculty");
    expect(slack.sent.some((sent) => sent.conversationId === `@${lee.identityKey}` && sent.text.includes("Reopened by Dana Ruiz"))).toBe(
      true,
    );
    expect(mail.sent.at(-1)?.text).toContain("Reopened by Dana Ruiz");
    expect(slack.updates.length).toBeGreaterThan(updatesBefore);
    expect(slack.sent.filter((sent) => sent.conversationId === TRIAGE && !/digest/i.test(sent.text)).length).toBe(postsBefore);
    // Who may: not someone else's requester, not a follower, not an open request, not a duplicate.
    expect(await run(pat, `reopen ${r1!.number} me too`)).toMatch(/not found, or you do not have access/);
    expect(await run(jordan, `reopen ${r1!.number} again`)).toMatch(/is accepted: only a delivered or declined request can be reopened/);
    const [r3] = (await core.requests.listByRequester(pat.id)).filter((request) => request.duplicateOf);
    expect(await run(dana, `reopen ${r3!.number} why`)).toMatch(/was merged into .* as a duplicate/);
  });

  it("merges: refuses itself, closed targets and chains; lists the followed request; exports duplicate_of", async () => {
    const mine = await core.requests.listByRequester(pat.id);
    const r3 = mine.find((request) => request.duplicateOf)!;
    const r1 = mine.find((request) => request.form.program.startsWith("Night vision devices for"))!;
    expect(r1.followers?.map((person) => person.displayName)).toEqual(["Pat Kim"]);
    expect(await run(pat, "list")).toContain(`${r3.number} ⛔ Declined (duplicate of ${r1.number})`);
    expect(await run(pat, `merge ${r3.number} into ${r1.number}`)).toBe("Only faculty can merge requests.");
    expect(await run(dana, `merge ${r1.number} into ${r1.number}`)).toBe(`${r1.number} cannot be merged into itself.`);
    expect(await run(dana, `merge ${r1.number} into ${r3.number}`)).toBe(
      `${r3.number} is a duplicate of ${r1.number}: merge into an open request.`,
    );
    const r5 = await submit(jordan, "Another night vision request");
    expect(await run(dana, `merge ${r1.number} into ${r5.number}`)).toMatch(/Other requests were merged into .*no chains/);
    expect(await run(dana, "merge MA-2026-0001")).toMatch(/Which request into which\?/);
    // Audited on both.
    const trail = await db.database.prisma.auditEvent.findMany({ where: { action: { in: ["merge", "merged-in"] } } });
    expect(trail.map((event) => [event.requestId, event.action]).sort()).toEqual(
      [
        [r1.id, "merged-in"],
        [r3.id, "merge"],
      ].sort(),
    );
    const csv = (await exportRequests(core, "csv")).text.split("\n");
    expect(csv[0]).toMatch(/,decline_reason,duplicate_of,rating,rating_comment$/);
    expect(csv.find((line) => line.startsWith(r3.number))).toMatch(new RegExp(`,DUPLICATE,${r1.number},,$`));
    // Told once: one merge notice to Pat for R3.
    const told = mail.sent.filter((sent) => sent.text.includes(`was closed as a duplicate of ${r1.number}`));
    expect(told).toHaveLength(1);
  });

  it("pauses the triage clock while waiting on the requester: show counts the days before the question and after the answer", async () => {
    clock.set("2026-03-25T15:00:00Z"); // Wednesday
    const request = await submit(jordan, "Paused clock program");
    clock.set("2026-03-27T15:00:00Z"); // Friday: 2 working days in triage
    await form(dana, "askInfo", request, { question: "Which case?" });
    clock.set("2026-04-01T15:00:00Z"); // the next Wednesday: 3 working days waiting on the requester
    await form(jordan, "answer", request, { answer: "BN-B-SAA." });
    clock.set("2026-04-02T15:00:00Z"); // Thursday: 2 before + 1 after
    expect(await run(dana, `show ${request.number}`)).toContain(
      "⏱ Waiting 3 working days in this status (service level: 2, past its service level)",
    );
    const stored = (await core.requests.findById(request.id))!;
    expect(stored.stageCreditDays).toBe(2);
    // A decision starts the next stage from nothing.
    await form(dana, "accept", request, { leadId: lee.id });
    expect((await core.requests.findById(request.id))!.stageCreditDays).toBe(0);
  });
});
