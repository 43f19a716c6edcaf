import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { addDays, dayInZone } from "../../src/core/dates.js";
import { moveRequest } from "../../src/core/requests/move-request.js";
import { isOnlyThanks } from "../../src/mail/closed-reply.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { type DovecotServer, startDovecot } from "../helpers/dovecot.js";
import { rawMail } from "../helpers/mail-messages.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";
import { slackTestEnv } from "../helpers/slack-requests.js";
import { SmtpStandIn } from "../helpers/smtp.js";

const MAILBOX = "dsmc-i@dau.example.edu";
const TRIAGE = "C0TRIAGE";
const FACULTY = "UFAC01";
const JANE = "jane.smith@army.example.mil";

describe("isOnlyThanks", () => {
  it("takes thanks alone, with a greeting or a name, as only thanks", () => {
    for (const text of [
      "thanks",
      "Thank you!",
      "Thanks so much.",
      "thank you very much",
      "Many thanks!",
      "Thanks again",
      "Hi Dana,\n\nThanks for all your help!\n\nJane",
    ]) {
      expect(isOnlyThanks(text), text).toBe(true);
    }
  });

  it("does not take a question or a problem with thanks as only thanks", () => {
    for (const text of ["Thanks, but the dates moved: can we do May?", "thank you! One more thing: the LOA changed.", "", "Not thanks"]) {
      expect(isOnlyThanks(text), text).toBe(false);
    }
  });
});

describe.each(DATABASE_KINDS)("a mailed reply to a closed request, with real Dovecot and SMTP, on $name", (kind) => {
  let db: TestDatabase;
  let dovecot: DovecotServer;
  let smtp: SmtpStandIn;
  let slackApi: SlackApiStandIn;
  let app: RunningApp;
  let number = "";
  let requestId = "";
  let ourReply = "";

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
    app = await startApp(loadConfig(env), pino({ level: "silent" }), { mail: { polling: false }, reminders: false });
    await app.repositories.people.grant(`slack:${FACULTY}`, { role: "faculty" }, "test");
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([dovecot?.dispose(), smtp?.stop(), slackApi?.stop()]);
    await db?.dispose();
  });

  const readMail = async (text: string, inReplyTo = ourReply) => {
    await dovecot.deliver(rawMail({ from: JANE, subject: `Re: [${number}] LOA pricing workshop`, inReplyTo, text }).raw);
    return app.mail!.readOnce();
  };
  const stored = () => app.database.prisma.maRequest.findUniqueOrThrow({ where: { id: requestId } });

  it("changes nothing for a reply of only thanks to a declined request, and reopens it for a reply that asks again", async () => {
    const start = addDays(dayInZone(new Date(), "America/New_York"), 40);
    const first = [
      "We need help pricing the training lines of an LOA.",
      "",
      "Organization: PEO Missiles and Space",
      "DoD component: Army",
      "Program: Lower Tier Air and Missile Defense Sensor",
      "Effort types: FMS",
      "Support needed: Workshop",
      "Where the effort is: LOA",
      "Audience size: 25",
      "Delivery: Virtual",
      `Preferred start: ${start}`,
      `Preferred end: ${start}`,
      "Point of contact: Jane Smith",
      `Point of contact e-mail: ${JANE}`,
    ].join("\n");
    await dovecot.deliver(rawMail({ from: JANE, fromName: "Jane Smith", subject: "LOA pricing workshop", text: first }).raw);
    await app.mail!.readOnce();
    await app.dispatcher.drain();
    const received = await smtp.waitFor(JANE);
    ourReply = received.parsed.messageId ?? "";
    const request = await app.database.prisma.maRequest.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    [number, requestId] = [request.number, request.id];
    const faculty = await app.repositories.people.resolve({ key: `slack:${FACULTY}` });
    await moveRequest(app.core, {
      actor: faculty,
      requestId,
      expectedVersion: request.version,
      move: { kind: "decline", reason: "NO_CAPACITY" },
    });
    const declined = await stored();

    for (const thanks of ["Thanks so much.", "thank you!\n\nOn Tue, Dec 1, 2026 DSMC-I wrote:\n> We are sorry", "Thanks"]) {
      const summary = await readMail(thanks);
      expect(summary.ignored).toEqual([`${JANE}: thanks only, nothing changed on ${number}`]);
      expect(summary.replies).toEqual([]);
    }
    const after = await stored();
    expect([after.status, after.version]).toEqual(["DECLINED", declined.version]);
    await app.dispatcher.drain();
    expect(smtp.received.filter((mail) => mail.to.includes(JANE))).toHaveLength(1);
    const recorded = await app.database.prisma.mailMessage.findMany({ where: { direction: "in", outcome: "thanks" } });
    expect(recorded).toHaveLength(3);

    const summary = await readMail("Thanks. Our dates moved to the spring: could you take it after all?");
    expect(summary.replies).toEqual([`${JANE}: reopened ${number}`]);
    const reopened = await stored();
    expect(reopened.status).toBe("SUBMITTED");
    expect(reopened.declineReason).toBeNull();
    const history = await app.repositories.requests.history(requestId);
    expect(history.at(-1)).toMatchObject({ action: "reopen", note: "Thanks. Our dates moved to the spring: could you take it after all?" });
    await app.dispatcher.drain();
    const card = await slackApi.waitFor(
      (call) =>
        call.method === "chat.update" &&
        call.body.channel === TRIAGE &&
        JSON.stringify(call.body.blocks).includes("Reopened by Jane Smith"),
      "the triage card redrawn in place",
    );
    expect(JSON.stringify(card.body.blocks)).toContain("ma_accept");
  });
});
