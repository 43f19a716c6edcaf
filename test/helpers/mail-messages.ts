import { randomUUID } from "node:crypto";

/** Raw RFC 5322 messages as mail clients write them, for delivery into the test mailbox. */
export interface MailOptions {
  from: string;
  fromName?: string;
  to?: string;
  subject: string;
  text: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  attachment?: { name: string; content: string };
}

export function rawMail(options: MailOptions): { raw: string; messageId: string } {
  const messageId = options.messageId ?? `<${randomUUID()}@mail.example.mil>`;
  const boundary = `b-${randomUUID()}`;
  const headers = [
    `From: ${options.fromName ? `"${options.fromName}" ` : ""}<${options.from}>`,
    `To: ${options.to ?? "dsmc-i@dau.example.edu"}`,
    `Subject: ${options.subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${messageId}`,
    ...(options.inReplyTo ? [`In-Reply-To: ${options.inReplyTo}`] : []),
    ...(options.references ? [`References: ${options.references.join(" ")}`] : []),
    ...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    "MIME-Version: 1.0",
  ];
  const text = options.text.replace(/\n/g, "\r\n");
  if (!options.html && !options.attachment) {
    return { raw: [...headers, "Content-Type: text/plain; charset=utf-8", "", text, ""].join("\r\n"), messageId };
  }
  const parts: string[] = [];
  if (options.html) {
    parts.push(`--${boundary}`, "Content-Type: text/html; charset=utf-8", "", options.html.replace(/\n/g, "\r\n"), "");
  } else {
    parts.push(`--${boundary}`, "Content-Type: text/plain; charset=utf-8", "", text, "");
  }
  if (options.attachment) {
    parts.push(
      `--${boundary}`,
      `Content-Type: application/pdf; name="${options.attachment.name}"`,
      `Content-Disposition: attachment; filename="${options.attachment.name}"`,
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from(options.attachment.content).toString("base64"),
      "",
    );
  }
  parts.push(`--${boundary}--`, "");
  return { raw: [...headers, `Content-Type: multipart/mixed; boundary="${boundary}"`, "", ...parts].join("\r\n"), messageId };
}

/** A delivery status notification (RFC 3464) about one of our mails, as a mail server sends it. */
export function bounceOf(original: { messageId: string; to: string }, from = "MAILER-DAEMON@mail.example.mil"): string {
  const boundary = `r-${randomUUID()}`;
  return [
    `From: Mail Delivery System <${from}>`,
    "To: dsmc-i@dau.example.edu",
    "Subject: Undelivered Mail Returned to Sender",
    `Message-ID: <${randomUUID()}@mail.example.mil>`,
    "Auto-Submitted: auto-replied",
    "MIME-Version: 1.0",
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain",
    "",
    `Your message to ${original.to} could not be delivered.`,
    "",
    `--${boundary}`,
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mail.example.mil",
    "",
    `Final-Recipient: rfc822; ${original.to}`,
    "Action: failed",
    "Status: 5.1.1",
    "Diagnostic-Code: smtp; 550 5.1.1 User unknown",
    "",
    `--${boundary}`,
    "Content-Type: text/rfc822-headers",
    "",
    "From: dsmc-i@dau.example.edu",
    `To: ${original.to}`,
    `Message-ID: ${original.messageId}`,
    "",
    `--${boundary}--`,
    "",
  ].join("\r\n");
}
