import { ImapFlow } from "imapflow";
import nodemailer from "nodemailer";
import { mailOptions } from "./mime.js";
import type { FetchedMail, MailTransport, OutgoingMail } from "./transport.js";

export interface ImapOptions {
  /** `imap[s]://user:password@host:port[/folder]` (folder INBOX by default). */
  imapUrl: string;
  /** `smtp[s]://user:password@host:port`. */
  smtpUrl: string;
  /** The mailbox's own address: the From of every mail the bot sends. */
  address: string;
}

/** How long a connection attempt waits before the mailbox counts as down for this pass. */
const CONNECT_TIMEOUT_MS = 15_000;
/** How soon a watching connection that dropped or was refused is opened again. */
const WATCH_RETRY_MS = 30_000;
/** Messages marked read per STORE command: one round trip per batch instead of per message. */
const SEEN_BATCH = 50;

function imapSettings(url: string) {
  const parsed = new URL(url);
  const secure = parsed.protocol === "imaps:";
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 993 : 143,
    secure,
    auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) },
    folder: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "INBOX",
  };
}

/**
 * Any IMAP server for reading (imapflow) and any SMTP server for sending (nodemailer).
 * Each pass opens one IMAP connection and closes it: a server restarted between passes
 * costs nothing, and nothing is held open while idle.
 */
export function createImapTransport(options: ImapOptions): MailTransport {
  const { folder, ...settings } = imapSettings(options.imapUrl);
  const smtp = nodemailer.createTransport(options.smtpUrl, { from: options.address });

  async function connect(extra: { autoIdleDelay?: number } = {}): Promise<ImapFlow> {
    const client = new ImapFlow({
      ...settings,
      ...extra,
      logger: false,
      connectionTimeout: CONNECT_TIMEOUT_MS,
      greetingTimeout: CONNECT_TIMEOUT_MS,
    });
    // A dropped connection is reported here as well as to the call that was waiting on it.
    client.on("error", () => {});
    await client.connect();
    return client;
  }

  return {
    name: "imap",
    async readUnread(handle: (mail: FetchedMail) => Promise<boolean>): Promise<number> {
      const client = await connect();
      try {
        const lock = await client.getMailboxLock(folder);
        try {
          const uids = ((await client.search({ seen: false }, { uid: true })) || []).sort((a, b) => a - b);
          // Marked read a batch at a time, one command each: a message whose mark is lost
          // (the connection drops first) stays unread, and the next pass finds it recorded.
          let handled: number[] = [];
          const markRead = async () => {
            if (handled.length > 0) await client.messageFlagsAdd(handled.join(","), ["\\Seen"], { uid: true });
            handled = [];
          };
          for (const uid of uids) {
            const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
            if (message === false || !message.source) continue;
            if (await handle({ ref: String(uid), raw: message.source })) handled.push(uid);
            if (handled.length >= SEEN_BATCH) await markRead();
          }
          await markRead();
          return uids.length;
        } finally {
          lock.release();
        }
      } finally {
        await client.logout().catch(() => client.close());
      }
    },
    async send(mail: OutgoingMail): Promise<void> {
      await smtp.sendMail(mailOptions(options.address, mail));
    },
    watch(onArrival) {
      // One more connection, left open on the folder: imapflow IDLEs on it while nothing else
      // happens, and the server's EXISTS (a new message) wakes a pass. Polling stays as the
      // fallback for servers without IDLE and for the time the watch is reconnecting.
      let client: ImapFlow | undefined;
      let stopped = false;
      let retry: NodeJS.Timeout | undefined;
      const again = () => {
        client = undefined;
        if (stopped) return;
        retry = setTimeout(() => void open(), WATCH_RETRY_MS);
        retry.unref();
      };
      const open = async () => {
        try {
          // IDLE a second after opening, not imapflow's default 15 s of quiet.
          client = await connect({ autoIdleDelay: 1_000 });
          client.on("exists", () => onArrival());
          client.on("close", again);
          await client.mailboxOpen(folder, { readOnly: true });
          if (stopped) await client.logout();
          // Mail that arrived while the watch was (re)connecting is read now, not at the next poll.
          else onArrival();
        } catch {
          // Refused or dropped: the polls say so in the log; the watch tries again quietly.
          const opened = client;
          if (opened)
            opened.close(); // its "close" event schedules the next try
          else again();
        }
      };
      void open();
      return async () => {
        stopped = true;
        clearTimeout(retry);
        await client?.logout().catch(() => client?.close());
      };
    },
    async check() {
      const lines: Array<{ name: string; ok: boolean; detail: string }> = [];
      try {
        const client = await connect();
        try {
          const status = await client.status(folder, { messages: true, unseen: true });
          if (!status) throw new Error(`folder ${folder} not found`);
          lines.push({
            name: "mailbox (IMAP_URL)",
            ok: true,
            detail: `${folder}: ${status.messages ?? 0} message(s), ${status.unseen ?? 0} unread`,
          });
        } finally {
          await client.logout().catch(() => client.close());
        }
      } catch (error) {
        const detail = (error as { authenticationFailed?: boolean }).authenticationFailed
          ? "login refused: check the user and password in IMAP_URL"
          : `${error instanceof Error ? error.message : String(error)} (IMAP_URL)`;
        lines.push({ name: "mailbox (IMAP_URL)", ok: false, detail });
      }
      try {
        await smtp.verify();
        lines.push({ name: "sending (SMTP_URL)", ok: true, detail: "SMTP server accepts the login" });
      } catch (error) {
        lines.push({
          name: "sending (SMTP_URL)",
          ok: false,
          detail: `${error instanceof Error ? error.message : String(error)} (SMTP_URL)`,
        });
      }
      return lines;
    },
    async close() {
      smtp.close();
    },
  };
}
