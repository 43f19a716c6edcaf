import nodemailer, { type SendMailOptions } from "nodemailer";
import type { OutgoingMail } from "./transport.js";

/**
 * What every mail the bot sends is made of, whichever transport carries it: nodemailer
 * renders it for SMTP, and the same options rendered to MIME go through Graph's sendMail,
 * so threading headers and the iMIP calendar part are written by one renderer.
 */
export function mailOptions(from: string, mail: OutgoingMail): SendMailOptions {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    ...(mail.calendar ? { icalEvent: { method: mail.calendar.method, content: mail.calendar.content } } : {}),
    headers: {
      // Outlook/Exchange: no out-of-office or read receipts back to the bot.
      "X-Auto-Response-Suppress": "All",
      // RFC 3834: a machine answered, so other machines must not answer it.
      "Auto-Submitted": "auto-replied",
    },
  };
}

/** nodemailer's stream transport: the message as SMTP would carry it, as bytes, sent nowhere. */
const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });

/** The whole message as RFC 5322 text (CRLF lines), for Graph's sendMail with a MIME body. */
export async function renderMime(from: string, mail: OutgoingMail): Promise<Buffer> {
  const info = await composer.sendMail(mailOptions(from, mail));
  return info.message as Buffer;
}
