import { describe, expect, it } from "vitest";
import { extractFields, parseWrittenDate } from "../../src/mail/fields.js";
import { newText, parseInbound } from "../../src/mail/parse.js";
import { rawMail } from "../helpers/mail-messages.js";

describe("parseInbound", () => {
  it("turns an HTML-only mail into text and lists its attachment", async () => {
    const mail = rawMail({
      from: "Pat.Lee@AF.example.mil",
      fromName: "Pat Lee",
      subject: "Workshop",
      text: "",
      html: "<html><body><p>We need a <b>JST walkthrough</b>.</p><p>Audience size: 12</p></body></html>",
      attachment: { name: "plan.pdf", content: "12345" },
    });
    const parsed = await parseInbound(Buffer.from(mail.raw));
    expect(parsed).toMatchObject({ from: "pat.lee@af.example.mil", fromName: "Pat Lee", messageId: mail.messageId, subject: "Workshop" });
    expect(parsed.text).toBe("We need a JST walkthrough.\n\nAudience size: 12");
    expect(parsed.attachments).toEqual([{ name: "plan.pdf", size: 5 }]);
  });

  it("lists the ids a reply answers, In-Reply-To first", async () => {
    const mail = rawMail({ from: "a@b.mil", subject: "Re: x", text: "ok", inReplyTo: "<two@x>", references: ["<one@x>", "<two@x>"] });
    expect((await parseInbound(Buffer.from(mail.raw))).answers).toEqual(["<two@x>", "<one@x>"]);
  });
});

describe("newText", () => {
  it("cuts Outlook's quoted header block but keeps a From: line of the person's own text", () => {
    expect(newText("Thanks.\nFrom: my notes, line 2\n\nFrom: DSMC-I\nSent: Monday\nSubject: x")).toBe("Thanks.\nFrom: my notes, line 2");
  });

  it("cuts a wrapped 'On … wrote:' line and drops '>' lines", () => {
    expect(newText("Yes.\n> quoted\nOn Mon, Jan 4, 2027 at 9:00 AM Lee Park\n<lee@x.mil> wrote:\n> more")).toBe("Yes.");
  });
});

describe("extractFields", () => {
  it("reads the form's labels in any case, choices by label, and dates as people write them", () => {
    const { raw, rest } = extractFields(
      "Please help.\nDOD COMPONENT: air force\nsupport needed: Document review\nPreferred start: 12 Jan 2027\nEnd date: 1/14/2027\nEffort types: FMS, BPC\nNote: not a field",
    );
    expect(raw).toEqual({
      component: "AIR_FORCE",
      supportType: "DOCUMENT_REVIEW",
      preferredStart: "2027-01-12",
      preferredEnd: "2027-01-14",
      effortTypes: ["FMS", "BPC"],
    });
    expect(rest).toBe("Please help.\nNote: not a field");
  });

  it("reads ISO and long U.S. dates, and leaves a date it cannot read for validation to name", () => {
    expect(parseWrittenDate("2027-01-12")).toBe("2027-01-12");
    expect(parseWrittenDate("January 12, 2027")).toBe("2027-01-12");
    expect(parseWrittenDate("next Tuesday")).toBeUndefined();
    expect(extractFields("Preferred start: next Tuesday").raw).toEqual({ preferredStart: "next Tuesday" });
  });
});
