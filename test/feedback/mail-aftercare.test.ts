import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { submitForm } from "../../src/chat/interactions/submit-form.js";
import { encodeRequestAction } from "../../src/chat/views.js";
import { loadConfig } from "../../src/config.js";
import { addDays, dayInZone } from "../../src/core/dates.js";
import { createLogger } from "../../src/logger.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { type DovecotServer, startDovecot } from "../helpers/dovecot.js";
import { rawMail } from "../helpers/mail-messages.js";
import { SlackApiStandIn } from "../helpers/slack-api.js";
import { slackTestEnv } from "../helpers/slack-requests.js";
import { SmtpStandIn } from "../helpers/smtp.js";
import { waitUntil } from "../helpers/wait.js";

const MAILBOX = "dsmc-i@dau.example.edu";
const TRIAGE = "C0TRIAGE";
const FACULTY = "UFAC01";
const ADMIN = "UADM01";
const JANE = "jane.smith@army.example.mil";
const ZONE = "America/New_York";

class MovableClock {
  at = new Date();
  now = () => new Date(this.at);
}

/** A complete request by mail, for the given days. */
function requestText(start: string, end: string): string {
  return [
    "We need a workshop on LOA pricing for a partner's air defense buy.",
    "",
    "Organization: PEO Missiles and Space",
    "DoD component: Army",
    "Program: Lower Tier Air and Missile Defense Sensor",
    "Effort types: FMS",
    "Support needed: Workshop",
    "Where the effort is: LOA",
    "Audience size: 25",
    `Preferred start: ${start}`,
    `Preferred end: ${end}`,
    "Delivery: Virtual",
    "Point of contact: Jane Smith",
    `Point of contact e-mail: ${JANE}`,
  ].join("\n");
}

describe.each(DATABASE_KINDS)("after delivery by mail, with real Dovecot and SMTP, on $name", (kind) => {
  let db: TestDatabase;
  let dovecot: DovecotServer;
  let smtp: SmtpStandIn;
  let slackApi: SlackApiStandIn;
  let app: RunningApp;
  const clock = new MovableClock();
  let facultyId = "";
  let keys = 0;

  beforeAll(async () => {
    db = await kind.create({ migrate: false });
    [dovecot, smtp, slackApi] = await Promise.all([startDovecot(), new SmtpStandIn().start(), new SlackApiStandIn().start()]);
    const env = slackTestEnv(db.url, slackApi.url, {
      SLACK_TRIAGE_CHANNEL: TRIAGE,
      ADMIN_USERS: `slack:${ADMIN}`,
      MAIL_TRANSPORT: "imap",
      MAIL_ADDRESS: MAILBOX,
      IMAP_URL: dovecot.url,
      SMTP_URL: smtp.url,
    });
    app = await startApp(loadConfig(env), createLogger("silent"), { clock, mail: { polling: false }, reminders: false });
    await app.repositories.people.grant(`slack:${FACULTY}`, { role: "faculty" }, "test");
    facultyId = (await app.repositories.people.resolve({ key: `slack:${FACULTY}`, displayName: "Dana Ruiz" })).id;
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([dovecot?.dispose(), smtp?.stop(), slackApi?.stop()]);
    await db?.dispose();
  });

  const settle = async () => {
    await app.dispatcher.drain();
    await app.dispatcher.drain();
  };
  const current = (id: string) => app.repositories.requests.findById(id).then((request) => request!);
  async function move(
    formId: "accept" | "schedule" | "reschedule" | "deliver" | "decline" | "withdraw",
    id: string,
    values: Record<string, unknown>,
  ) {
    const request = await current(id);
    const outcome = await submitForm(app.interaction, {
      identity: { key: `slack:${FACULTY}` },
      platform: "slack",
      formId,
      state: encodeRequestAction({ requestId: request.id, version: request.version }),
      values: values as never,
      idempotencyKey: `test:${++keys}`,
    });
    expect(outcome.kind, JSON.stringify(outcome)).toBe("done");
  }
  /** A request Jane mails in, for days from today. */
  async function mailedRequest(subject: string) {
    const today = dayInZone(clock.now(), ZONE);
    await dovecot.deliver(rawMail({ from: JANE, fromName: "Jane Smith", subject, text: requestText(today, today) }).raw);
    const summary = await app.mail!.readOnce();
    expect(summary.requests).toHaveLength(1);
    return app.database.prisma.maRequest.findFirstOrThrow({ orderBy: [{ year: "desc" }, { seq: "desc" }] });
  }
  const mailsTo = (address: string, subjectPart: string) =>
    smtp.received.filter((mail) => mail.to.includes(address) && (mail.parsed.subject ?? "").includes(subjectPart));

  describe("the survey by mail", () => {
    it("asks an e-mail requester by mail and reads `Rating: 1` and the comment from the reply; the lead and admins are told", async () => {
      const request = await mailedRequest("LOA pricing workshop");
      const today = dayInZone(clock.now(), ZONE);
      await move("accept", request.id, { leadId: facultyId });
      await move("schedule", request.id, { start: today, end: today });
      await move("deliver", request.id, { note: "" });
      await settle();
      const before = smtp.received.length;
      const [row] = await app.database.prisma.outbox.findMany({ where: { kind: "survey", subjectKey: `request:${request.id}` } });
      expect(row?.platform).toBe("email");
      clock.at = new Date(row!.nextAttemptAt.getTime() + 60_000);
      await settle();
      const survey = await smtp.waitFor(JANE, mailsTo(JANE, request.number).length);
      expect(smtp.received.length).toBe(before + 1);
      expect(survey.parsed.subject).toBe(`[${request.number}] LOA pricing workshop`);
      expect(survey.parsed.text).toContain("How did the Mission Assistance go?");
      expect(survey.parsed.text).toContain("Rating: N");
      expect(survey.parsed.text).toContain("5 = Excellent");

      await dovecot.deliver(
        rawMail({
          from: JANE,
          subject: `Re: [${request.number}] LOA pricing workshop`,
          inReplyTo: survey.parsed.messageId,
          references: [survey.parsed.messageId ?? ""],
          text: `Rating: 1\nThe pricing part was skipped.\n\nOn Tue, DSMC-I wrote:\n> How did the Mission Assistance go?`,
        }).raw,
      );
      const read = await app.mail!.readOnce();
      expect(read.replies).toEqual([`${JANE}: rated 1/5 ${request.number}`]);
      const stored = await app.database.prisma.survey.findUniqueOrThrow({ where: { requestId: request.id } });
      expect(stored).toMatchObject({ rating: 1, comment: "The pricing part was skipped." });
      await settle();
      const alerts = slackApi
        .callsTo("chat.postMessage")
        .filter((call) => String(call.body.text).includes(`Low feedback on ${request.number}`));
      expect(alerts.map((call) => call.body.channel).sort()).toEqual([ADMIN, FACULTY]);
      const thanks = await smtp.waitFor(JANE, mailsTo(JANE, request.number).length);
      expect(thanks.parsed.text).toContain(`Thank you for your feedback on ${request.number}: 1 – Poor.`);
      // The rating line is an answer, not a note on the request.
      const history = await app.repositories.requests.history(request.id);
      expect(history.map((event) => event.action)).not.toContain("requester-note");
    });
  });

  describe("calendar invitations over SMTP (iMIP)", () => {
    /** The text/calendar part of a received mail, parsed back with ical.js. */
    function calendarOf(mail: { parsed: { attachments: Array<{ contentType: string; content: Buffer }> } }) {
      const part = mail.parsed.attachments.find((attachment) => attachment.contentType.startsWith("text/calendar"));
      expect(part, "a text/calendar part").toBeDefined();
      const text = part!.content.toString("utf8");
      const calendar = new ICAL.Component(ICAL.parse(text));
      const vevent = calendar.getFirstSubcomponent("vevent")!;
      const event = new ICAL.Event(vevent);
      const start = vevent.getFirstProperty("dtstart")!;
      return {
        text,
        method: calendar.getFirstPropertyValue("method"),
        uid: event.uid,
        sequence: event.sequence,
        summary: event.summary,
        location: event.location,
        status: vevent.getFirstPropertyValue("status"),
        tzid: start.getParameter("tzid"),
        start: event.startDate.toString(),
        end: event.endDate.toString(),
        attendees: event.attendees
          .map((attendee) =>
            String(attendee.getFirstValue())
              .replace(/^mailto:/i, "")
              .toLowerCase(),
          )
          .sort(),
        hasTimezone: Boolean(calendar.getFirstSubcomponent("vtimezone")),
      };
    }
    const invitations = () =>
      smtp.received.filter((mail) => mail.parsed.attachments.some((part) => part.contentType.startsWith("text/calendar")));

    it("sends REQUEST on schedule, REQUEST with the same UID and SEQUENCE+1 on reschedule, CANCEL on decline; to the requester and the lead; no CUI", async () => {
      // The lead also has an e-mail identity (the branch "people" adds Slack and Teams addresses behind the same lookup).
      await app.database.prisma.identity.create({
        data: { key: "email:dana.ruiz@dau.example.edu", platform: "email", externalId: "dana.ruiz@dau.example.edu", personId: facultyId },
      });
      const request = await mailedRequest("Help with the LTAMDS LOA pricing");
      const start = addDays(dayInZone(clock.now(), ZONE), 20);
      await move("accept", request.id, { leadId: facultyId });
      const before = invitations().length;
      await move("schedule", request.id, { start, end: addDays(start, 1) });
      await settle();
      await waitUntil(
        () => (invitations().length >= before + 1 ? true : undefined),
        () => "the invitation",
      );
      const first = invitations().at(-1)!;
      expect(first.to.sort()).toEqual(["dana.ruiz@dau.example.edu", JANE]);
      const scheduled = calendarOf(first);
      expect(scheduled).toMatchObject({
        method: "REQUEST",
        sequence: 0,
        summary: `${request.number} Mission Assistance`,
        location: "Virtual",
        status: "CONFIRMED",
        tzid: ZONE,
        start: `${start}T09:00:00`,
        end: `${addDays(start, 1)}T17:00:00`,
        attendees: ["dana.ruiz@dau.example.edu", JANE],
        hasTimezone: true,
      });
      expect(first.raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
      expect(scheduled.text).toMatch(/^DTSTAMP:\d{8}T\d{6}Z\r?$/m);
      // Nothing of the request beyond its id, dates and mode: no program, problem or case.
      for (const secret of ["LTAMDS", "Lower Tier", "LOA pricing", "air defense", "PEO Missiles"]) expect(first.raw).not.toContain(secret);

      await move("reschedule", request.id, { start: addDays(start, 7), end: addDays(start, 8), reason: "Partner delegation delayed" });
      await settle();
      await waitUntil(
        () => (invitations().length >= before + 2 ? true : undefined),
        () => "the updated invitation",
      );
      const second = invitations().at(-1)!;
      const rescheduled = calendarOf(second);
      expect(rescheduled).toMatchObject({ method: "REQUEST", uid: scheduled.uid, sequence: 1, start: `${addDays(start, 7)}T09:00:00` });
      expect(second.raw).not.toContain("Partner delegation delayed");

      await move("decline", request.id, { reason: "NO_CAPACITY", note: "Faculty were reassigned" });
      await settle();
      await waitUntil(
        () => (invitations().length >= before + 3 ? true : undefined),
        () => "the cancellation",
      );
      const third = invitations().at(-1)!;
      expect(calendarOf(third)).toMatchObject({ method: "CANCEL", uid: scheduled.uid, sequence: 2, status: "CANCELLED" });
      expect(third.parsed.subject).toBe(`Cancelled: ${request.number} Mission Assistance, ${addDays(start, 7)} to ${addDays(start, 8)}`);
      expect(third.raw).not.toContain("reassigned");
      expect((await app.repositories.requests.findById(request.id))?.calendarSequence).toBe(3);
    });
  });
});
