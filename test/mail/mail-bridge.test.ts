import { DateTime } from "luxon";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { formatInstant } from "../../src/chat/format.js";
import { loadConfig } from "../../src/config.js";
import { addDays, dayInZone } from "../../src/core/dates.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { type DovecotServer, startDovecot } from "../helpers/dovecot.js";
import { bounceOf, rawMail } from "../helpers/mail-messages.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";
import { blockAction, stateValues, viewSubmission } from "../helpers/slack-payloads.js";
import { payloadBody, postSigned, slackTestEnv } from "../helpers/slack-requests.js";
import { SmtpStandIn } from "../helpers/smtp.js";
import { waitUntil } from "../helpers/wait.js";

const MAILBOX = "dsmc-i@dau.example.edu";
const TRIAGE = "C0TRIAGE";
const FACULTY = "UFAC01";

/** The text a program office writes: a request with most fields, quoted history and a signature. */
function firstMailText(): string {
  return [
    "Good morning,",
    "",
    "Our program office needs help preparing the LOA for a partner nation's air defense buy,",
    "especially the pricing of the training lines.",
    "",
    "Organization: PEO Missiles and Space",
    "DoD component: Army",
    "Program: Lower Tier Air and Missile Defense Sensor",
    "Effort types: FMS",
    "Support needed: Workshop",
    "Where the effort is: LOA",
    "Audience size: 25",
    "Delivery: Virtual",
    "Point of contact: Jane Smith",
    "Point of contact e-mail: jane.smith@army.example.mil",
    "",
    "-- ",
    "Jane Smith",
    "International Programs, PEO MS",
    "",
    "On Mon, Nov 30, 2026 at 9:00 AM Lee Park <lee.park@army.example.mil> wrote:",
    "> Jane, can you ask DAU for help with the LOA?",
  ].join("\n");
}

/** Waits (bounded, 20 s) until `count` is above zero: the bridge works after the server's notice. */
async function waitForMail(count: () => Promise<number>, what: string): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const found = await count();
    if (found > 0) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`never happened: ${what}`);
}

describe.each(DATABASE_KINDS)("the e-mail bridge with real Dovecot and SMTP on $name", (kind) => {
  let db: TestDatabase;
  let dovecot: DovecotServer;
  let smtp: SmtpStandIn;
  let slackApi: SlackApiStandIn;
  let app: RunningApp;
  const logLines: string[] = [];
  let events: string;

  beforeAll(async () => {
    db = await kind.create({ migrate: false });
    [dovecot, smtp, slackApi] = await Promise.all([startDovecot(), new SmtpStandIn().start(), new SlackApiStandIn().start()]);
    const env = slackTestEnv(db.url, slackApi.url, {
      SLACK_TRIAGE_CHANNEL: TRIAGE,
      MAIL_TRANSPORT: "imap",
      MAIL_ADDRESS: MAILBOX,
      IMAP_URL: dovecot.url,
      SMTP_URL: smtp.url,
    });
    const logger = pino({ level: "info" }, { write: (line: string) => void logLines.push(line) });
    app = await startApp(loadConfig(env), logger, { mail: { polling: false }, reminders: false });
    events = `http://127.0.0.1:${app.port}/slack/events`;
    await app.repositories.people.grant(`slack:${FACULTY}`, { role: "faculty" }, "test");
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([dovecot?.dispose(), smtp?.stop(), slackApi?.stop()]);
    await db?.dispose();
  });

  const day = (daysAhead: number) => addDays(dayInZone(new Date(), "America/New_York"), daysAhead);
  const written = (iso: string, format: string) => DateTime.fromISO(iso).toFormat(format);
  const deliverAndRead = async (raw: string) => {
    await dovecot.deliver(raw);
    return app.mail!.readOnce();
  };
  const latestRequest = () => app.database.prisma.maRequest.findFirstOrThrow({ orderBy: { createdAt: "desc" }, include: { intake: true } });

  let first: { requestId: string; number: string; replyId: string };

  it("makes a request of a new mail: quoted history and signature stripped, missing fields named on the card and in one reply", async () => {
    const mail = rawMail({
      from: "Jane.Smith@army.example.mil",
      fromName: "Jane Smith",
      subject: "LOA pricing workshop for LTAMDS",
      text: firstMailText(),
      attachment: { name: "draft-LOR.pdf", content: "x".repeat(2048) },
    });
    const summary = await deliverAndRead(mail.raw);
    expect(summary.requests).toEqual([
      expect.stringMatching(/^jane\.smith@army\.example\.mil: new request MA-\d{4}-\d{4} \(2 field\(s\) missing\)$/),
    ]);
    const request = await latestRequest();
    expect(request.sourcePlatform).toBe("email");
    expect(request.problemStatement).toBe(
      "Good morning,\n\nOur program office needs help preparing the LOA for a partner nation's air defense buy,\nespecially the pricing of the training lines.",
    );
    expect(request).toMatchObject({ organization: "PEO Missiles and Space", component: "ARMY", supportType: "WORKSHOP", audienceSize: 25 });
    expect(request.intake).toMatchObject({ title: "LOA pricing workshop for LTAMDS", missingFields: "preferredStart,preferredEnd" });
    expect(JSON.parse(request.intake?.attachments ?? "[]")).toEqual([{ name: "draft-LOR.pdf", size: 2048 }]);
    // The requester is the sender's address, lower case.
    const identity = await app.database.prisma.identity.findFirstOrThrow({ where: { personId: request.requesterId } });
    expect(identity.key).toBe("email:jane.smith@army.example.mil");

    await app.dispatcher.drain();
    const card = await slackApi.waitFor((call) => call.method === "chat.postMessage" && call.body.channel === TRIAGE, "the triage card");
    const cardText = JSON.stringify(card.body.blocks);
    expect(cardText).toContain("Received by e-mail — missing: Preferred start, Preferred end");
    expect(cardText).toContain("draft-LOR.pdf (2 KB)");

    const reply = await smtp.waitFor("jane.smith@army.example.mil");
    expect(reply.parsed.subject).toBe(`[${request.number}] LOA pricing workshop for LTAMDS`);
    expect(reply.parsed.inReplyTo).toBe(mail.messageId);
    expect(reply.parsed.headers.get("x-auto-response-suppress")).toBe("All");
    expect(reply.parsed.text).toContain(`Your Mission Assistance request ${request.number} was received.`);
    expect(reply.parsed.text).toMatch(/^Preferred start: $/m);
    expect(reply.parsed.text).toMatch(/^Preferred end: $/m);
    // Marked read only after its transaction committed.
    expect((await dovecot.inbox()).every((message) => message.seen)).toBe(true);
    expect(smtp.received.filter((received) => received.to.includes("jane.smith@army.example.mil"))).toHaveLength(1);
    first = { requestId: request.id, number: request.number, replyId: reply.parsed.messageId ?? "" };
  });

  it("completes the request from a reply that fills in the missing fields", async () => {
    const start = day(60);
    const end = day(62);
    const summary = await deliverAndRead(
      rawMail({
        from: "jane.smith@army.example.mil",
        subject: `Re: [${first.number}] LOA pricing workshop for LTAMDS`,
        inReplyTo: first.replyId,
        references: [first.replyId],
        text: `Preferred start: ${written(start, "d MMM yyyy")}\nPreferred end: ${written(end, "M/d/yyyy")}\n\nThanks!\n\nOn Tue, Dec 1, 2026 DSMC-I <${MAILBOX}> wrote:\n> Preferred start:\n> Preferred end:`,
      }).raw,
    );
    expect(summary.replies).toEqual([`jane.smith@army.example.mil: supplied 2 field(s) for ${first.number}`]);
    const request = await latestRequest();
    expect(request).toMatchObject({ id: first.requestId, preferredStart: start, preferredEnd: end, status: "SUBMITTED" });
    expect(request.intake?.missingFields).toBe("");
    const history = await app.repositories.requests.history(first.requestId);
    expect(history.at(-1)).toMatchObject({ action: "complete", note: "Thanks!" });
  });

  it("asks for information in Slack, mails the question, and takes the mailed answer", async () => {
    await app.dispatcher.drain();
    // The card as last drawn: completing the request redrew it at a new version.
    const { version } = await app.database.prisma.maRequest.findUniqueOrThrow({ where: { id: first.requestId } });
    const card = await slackApi.waitFor(
      (call) => call.body.channel === TRIAGE && JSON.stringify(call.body.blocks ?? "").includes(`\\"v\\":${version}}`),
      "the triage card at the current version",
    );
    const blocks = card.body.blocks as Array<{ elements?: Array<{ action_id: string; value: string }> }>;
    const button = blocks.flatMap((block) => block.elements ?? []).find((element) => element.action_id === "ma_askInfo");
    await postSigned(
      events,
      payloadBody(
        blockAction({ userId: FACULTY, actionId: "ma_askInfo", value: button?.value ?? "", responseUrl: `${slackApi.url}/response/q` }),
      ),
    );
    const modal = await slackApi.waitFor((call) => call.method === "views.open", "the question modal");
    const view = modal.body.view as { callback_id: string; private_metadata: string };
    const state = stateValues(
      { id: "askInfo", title: "", submitLabel: "", state: "", fields: [{ name: "question", label: "", required: true, kind: "textarea" }] },
      { question: "Which LOA lines need pricing help?" },
    );
    await postSigned(
      events,
      payloadBody(
        viewSubmission({ userId: FACULTY, callbackId: view.callback_id, viewId: "VQ1", state, privateMetadata: view.private_metadata }),
      ),
    );
    const question = await smtp.waitFor("jane.smith@army.example.mil", 2);
    expect(question.parsed.subject).toBe(`[${first.number}] LOA pricing workshop for LTAMDS`);
    expect(question.parsed.text).toContain("Which LOA lines need pricing help?");
    // Threaded under everything said so far.
    expect(question.parsed.references).toEqual(expect.arrayContaining([first.replyId]));

    const summary = await deliverAndRead(
      rawMail({
        from: "jane.smith@army.example.mil",
        subject: `RE: [${first.number}] LOA pricing workshop for LTAMDS`,
        inReplyTo: question.parsed.messageId,
        text: "Lines 3 and 4 (training and publications).\n\n-----Original Message-----\nFrom: DSMC-I\nWhich LOA lines need pricing help?",
      }).raw,
    );
    expect(summary.replies).toEqual([`jane.smith@army.example.mil: answered the question on ${first.number}`]);
    const request = await latestRequest();
    expect(request.status).toBe("SUBMITTED");
    expect(request.question).toBeNull();
    const history = await app.repositories.requests.history(first.requestId);
    expect(history.at(-1)).toMatchObject({ action: "answer", note: "Lines 3 and 4 (training and publications)." });
  });

  it("holds a stranger's reply for faculty and leaves the request unchanged", async () => {
    const before = await latestRequest();
    slackApi.clear();
    const summary = await deliverAndRead(
      rawMail({
        from: "someone.else@navy.example.mil",
        subject: "Re: your workshop",
        references: [first.replyId],
        text: "Please cancel this request.",
      }).raw,
    );
    expect(summary.held).toEqual([`someone.else@navy.example.mil: held — mail from someone not on the request (${first.number})`]);
    const after = await latestRequest();
    expect(after.version).toBe(before.version);
    expect(after.status).toBe(before.status);
    expect(after.intake?.heldMail).toBe(1);
    await app.dispatcher.drain();
    // An earlier move's redraw may still be paced out first: wait for the one that shows the held mail.
    const held = "1 mail(s) from someone not on the request, held for faculty";
    const redraw = await slackApi.waitFor(
      (call) => call.method === "chat.update" && JSON.stringify(call.body.blocks).includes(held),
      "the card redrawn with the held mail",
    );
    expect(redraw.body.channel).toBe(TRIAGE);
    expect(smtp.received.some((mail) => mail.to.includes("someone.else@navy.example.mil"))).toBe(false);
  });

  it("never answers automatic or list mail, and records a bounce on the owed mail and the request", async () => {
    const sentBefore = smtp.received.length;
    const requestsBefore = await app.database.prisma.maRequest.count();
    const auto = await deliverAndRead(
      rawMail({
        from: "jane.smith@army.example.mil",
        subject: "Out of office",
        headers: { "Auto-Submitted": "auto-replied" },
        text: "I am away until Monday.",
      }).raw,
    );
    expect(auto.ignored).toEqual(["jane.smith@army.example.mil: automatic reply (Auto-Submitted: auto-replied)"]);
    const list = await deliverAndRead(
      rawMail({
        from: "news@list.example.mil",
        subject: "Weekly digest",
        headers: { Precedence: "list" },
        text: "This week in acquisition.",
      }).raw,
    );
    expect(list.ignored).toEqual(["news@list.example.mil: bulk or list mail (Precedence: list)"]);
    const own = await deliverAndRead(rawMail({ from: MAILBOX, subject: "loop", text: "from ourselves" }).raw);
    expect(own.ignored).toEqual([`${MAILBOX}: sent by this mailbox`]);

    const bounce = await deliverAndRead(bounceOf({ messageId: first.replyId, to: "jane.smith@army.example.mil" }));
    expect(bounce.ignored).toEqual([
      `mailer-daemon@mail.example.mil: bounce — mail about ${first.number} not delivered: 550 5.1.1 User unknown`,
    ]);
    const failed = await app.repositories.outbox.listFailed(10);
    expect(failed).toEqual([expect.objectContaining({ platform: "email", lastError: "bounced: 550 5.1.1 User unknown" })]);
    const history = await app.repositories.requests.history(first.requestId);
    expect(history.at(-1)).toMatchObject({ action: "mail_undeliverable", note: "550 5.1.1 User unknown" });

    await app.dispatcher.drain();
    expect(smtp.received.length).toBe(sentBefore);
    expect(await app.database.prisma.maRequest.count()).toBe(requestsBefore);
  });

  it("reads a new mail as soon as the server says it arrived (IMAP IDLE), not at the next poll", async () => {
    // An hour between polls: only the server's notice can start a pass within the test.
    app.mail!.startPolling(3600);
    try {
      const mail = rawMail({ from: "ray.ng@dla.example.mil", subject: "LOA review help", text: "We need help reviewing an LOA draft." });
      await new Promise((resolve) => setTimeout(resolve, 2_000)); // the watching connection is open
      await dovecot.deliver(mail.raw);
      const stored = await waitForMail(
        () => app.database.prisma.mailMessage.count({ where: { messageId: mail.messageId, outcome: "request" } }),
        "the mail read after the server's notice",
      );
      expect(stored).toBe(1);
    } finally {
      await app.mail!.stop();
    }
  });

  it("changes nothing when the same message arrives twice", async () => {
    const mail = rawMail({
      from: "pat.lee@af.example.mil",
      subject: "BPC training plan review",
      text: "Please review our BPC training plan before the program review.",
    });
    await dovecot.deliver(mail.raw);
    await dovecot.deliver(mail.raw);
    const summary = await app.mail!.readOnce();
    expect(summary.requests).toHaveLength(1);
    expect(summary.duplicates).toBe(1);
    await app.dispatcher.drain();
    await smtp.waitFor("pat.lee@af.example.mil");
    expect(
      await app.database.prisma.maRequest.count({
        where: { requester: { identities: { some: { key: "email:pat.lee@af.example.mil" } } } },
      }),
    ).toBe(1);
    expect(smtp.received.filter((received) => received.to.includes("pat.lee@af.example.mil"))).toHaveLength(1);
  });

  it("names a description over the limit in its reply, with the limit, and asks for it again (issue 26)", async () => {
    const long = "Our office needs help pricing the LOA training lines for a partner. ".repeat(60).slice(0, 3900);
    const mail = rawMail({
      from: "long.writer@army.example.mil",
      fromName: "Long Writer",
      subject: "A long request",
      text: `${long}\n\nOrganization: PEO Aviation\nProgram: Utility helicopters`,
    });
    await deliverAndRead(mail.raw);
    const request = await latestRequest();
    expect(request.intake?.missingFields).toContain("problemStatement");
    await app.dispatcher.drain();
    const reply = await smtp.waitFor("long.writer@army.example.mil");
    expect(reply.parsed.text).toContain("Not accepted\nProblem statement: Problem statement can have at most 3,000 characters");
    expect(reply.parsed.text).toMatch(/^Problem statement: $/m);
  });

  it("holds mail with no text, and more than 10 new requests an hour from one sender, with one note to faculty", async () => {
    slackApi.clear();
    const empty = await deliverAndRead(rawMail({ from: "blank@army.example.mil", subject: "", text: "\n-- \nsent from my phone" }).raw);
    expect(empty.held).toEqual(["blank@army.example.mil: held — no text"]);
    for (let index = 0; index < 12; index++) {
      await dovecot.deliver(
        rawMail({ from: "busy@navy.example.mil", subject: `Request ${index}`, text: `Please help with effort number ${index}.` }).raw,
      );
    }
    const busy = await app.mail!.readOnce();
    expect(busy.requests).toHaveLength(10);
    expect(busy.held).toEqual([
      "busy@navy.example.mil: held — more than 10 new requests from this sender in an hour",
      "busy@navy.example.mil: held — more than 10 new requests from this sender in an hour",
    ]);
    await app.dispatcher.drain();
    const notes = await waitUntil(
      () => {
        const found = slackApi.calls.filter(
          (call) =>
            call.method === "chat.postMessage" && call.body.channel === TRIAGE && String(call.body.text).includes("held for faculty"),
        );
        return found.length >= 2 ? found : undefined;
      },
      () => "two notes in the triage channel",
    );
    expect(notes.map((note) => String(note.body.text))).toEqual([
      expect.stringContaining("blank@army.example.mil held for faculty (no text)"),
      expect.stringContaining("busy@navy.example.mil held for faculty (more than 10 new requests"),
    ]);
  });

  it("says once that the mailbox is down, retries, and loses nothing", async () => {
    const mail = rawMail({
      from: "kim.wu@usmc.example.mil",
      subject: "DCS/FMS hybrid question",
      text: "We need advice on a hybrid FMS and DCS approach.",
    });
    await dovecot.deliver(mail.raw);
    await dovecot.stop();
    logLines.length = 0;
    await app.mail!.pollOnce();
    await app.mail!.pollOnce();
    const down = logLines.filter((line) => line.includes("mailbox not reachable"));
    expect(down).toHaveLength(1);
    expect(JSON.parse(down[0] ?? "{}").msg).toBe("mailbox not reachable (imap); will retry every 60 s");
    expect(down[0]).not.toContain(dovecot.password);
    await dovecot.start();
    await app.mail!.pollOnce();
    expect(logLines.some((line) => line.includes("mailbox reachable again"))).toBe(true);
    expect(await app.database.prisma.mailMessage.count({ where: { messageId: mail.messageId, outcome: "request" } })).toBe(1);
  });

  it("tells the admins once when the mailbox has been silent for 15 minutes, and once when it answers again", async () => {
    await app.repositories.people.grant("slack:UMAILADMIN", { role: "admin" }, "test");
    const toAdmin = () =>
      slackApi
        .callsTo("chat.postMessage")
        .filter((call) => call.body.channel === "UMAILADMIN")
        .map((call) => String(call.body.text));
    await app.mail!.pollOnce();
    await dovecot.stop();
    try {
      await app.mail!.pollOnce();
      await app.dispatcher.drain();
      expect(toAdmin()).toEqual([]);
      // Twenty minutes later: every replica reads when the mailbox last answered from the settings.
      const lastAnswer = new Date(Date.now() - 20 * 60_000);
      await app.core.settings.set("mail:last-answer", lastAnswer.toISOString());
      await app.mail!.pollOnce();
      await app.mail!.pollOnce();
      await app.dispatcher.drain();
      expect(toAdmin()).toEqual([
        `Mission Assist: the mailbox (imap) has not answered since ${formatInstant(lastAnswer, app.config.REMINDER_TIMEZONE)} (20 minutes). Mail sent to it waits there and will be read once it answers; \`mission-assist doctor\` shows what fails.`,
      ]);
    } finally {
      await dovecot.start();
    }
    await app.mail!.pollOnce();
    await app.mail!.pollOnce();
    await app.dispatcher.drain();
    expect(toAdmin()).toHaveLength(2);
    expect(toAdmin()[1]).toBe("Mission Assist: the mailbox (imap) answers again; mail that waited there is being read now.");
  });

  it("reads each mail once with two replicas on one mailbox", async () => {
    const second = await startApp(
      loadConfig(
        slackTestEnv(db.url, slackApi.url, {
          SLACK_TRIAGE_CHANNEL: TRIAGE,
          MAIL_TRANSPORT: "imap",
          MAIL_ADDRESS: MAILBOX,
          IMAP_URL: dovecot.url,
          SMTP_URL: smtp.url,
        }),
      ),
      pino({ level: "silent" }),
      { mail: { polling: false }, reminders: false },
    );
    try {
      const senders = ["a", "b", "c", "d", "e"].map((letter) => `replica-${letter}@army.example.mil`);
      for (const sender of senders)
        await dovecot.deliver(rawMail({ from: sender, subject: `Help ${sender}`, text: "We need Mission Assistance with our LOR." }).raw);
      const [one, two] = await Promise.all([app.mail!.readOnce(), second.mail!.readOnce()]);
      expect([one.read, two.read].filter(Boolean).length).toBeGreaterThanOrEqual(1);
      // Whichever read first, a mail left for the other is read by the next pass.
      const three = await second.mail!.readOnce();
      const made = [...one.requests, ...two.requests, ...three.requests];
      expect(made).toHaveLength(5);
      await Promise.all([app.dispatcher.drain(), second.dispatcher.drain()]);
      for (const sender of senders) await smtp.waitFor(sender);
      for (const sender of senders) expect(smtp.received.filter((received) => received.to.includes(sender))).toHaveLength(1);
      expect((await dovecot.inbox()).every((message) => message.seen)).toBe(true);
    } finally {
      await second.close();
    }
  });
});
