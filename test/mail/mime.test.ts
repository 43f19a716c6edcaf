import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { renderMime } from "../../src/mail/mime.js";

describe("renderMime", () => {
  it("writes the threading headers and the iMIP part that Graph's sendMail carries as they are", async () => {
    const calendar = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:ma-1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    const raw = await renderMime("dsmc-i@dau.example.edu", {
      to: "ann.ray@dla.example.mil",
      subject: "[MA-2027-0001] Pricing help",
      text: "Scheduled.\n",
      messageId: "<ma-row1@dau.example.edu>",
      inReplyTo: "<theirs@dla.example.mil>",
      references: ["<theirs@dla.example.mil>", "<ma-row0@dau.example.edu>"],
      calendar: { method: "REQUEST", content: calendar },
    });
    const text = raw.toString("utf8");
    // CRLF line ends, as RFC 5322 and Graph's MIME upload want.
    expect(text.split("\r\n").length).toBeGreaterThan(10);
    expect(text).not.toMatch(/[^\r]\n/);
    const parsed = await simpleParser(raw);
    expect(parsed.from?.text).toBe("dsmc-i@dau.example.edu");
    expect(parsed.messageId).toBe("<ma-row1@dau.example.edu>");
    expect(parsed.inReplyTo).toBe("<theirs@dla.example.mil>");
    expect(parsed.references).toEqual(["<theirs@dla.example.mil>", "<ma-row0@dau.example.edu>"]);
    expect(parsed.headers.get("x-auto-response-suppress")).toBe("All");
    expect(parsed.headers.get("auto-submitted")).toBe("auto-replied");
    expect(text).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
    const part = parsed.attachments.find((attachment) => attachment.contentType.startsWith("text/calendar"));
    expect(part?.content.toString("utf8")).toBe(calendar);
  });
});
