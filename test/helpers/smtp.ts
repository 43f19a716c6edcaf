import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { waitUntil } from "./wait.js";

/** One message the SMTP server accepted: the envelope, the raw text and the parsed mail. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  parsed: ParsedMail;
}

/**
 * A real SMTP server on loopback (`smtp-server`) that keeps what it receives, or refuses
 * it while told to. Any user and password are accepted.
 */
export class SmtpStandIn {
  readonly received: ReceivedMail[] = [];
  refusing = false;
  port = 0;
  private server?: SMTPServer;

  get url(): string {
    return `smtp://bot:secret@127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onAuth: (_auth, _session, callback) => callback(null, { user: "bot" }),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          if (this.refusing) {
            callback(Object.assign(new Error("mailbox unavailable"), { responseCode: 450 }));
            return;
          }
          const raw = Buffer.concat(chunks).toString("utf8");
          simpleParser(raw).then(
            (parsed) => {
              this.received.push({
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
                to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
                raw,
                parsed,
              });
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", () => resolve()));
    const address = this.server.server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
    return this;
  }

  /** Waits for the `count`th message to `to` (1 = the first). */
  waitFor(to: string, count = 1): Promise<ReceivedMail> {
    return waitUntil(
      () => this.received.filter((mail) => mail.to.includes(to))[count - 1],
      () =>
        `no mail #${count} to ${to}; received: ${this.received.map((mail) => `${mail.to.join(",")}: ${mail.parsed.subject}`).join(" | ")}`,
    );
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
