/**
 * The mailbox as the bridge needs it, whichever service holds it (IMAP + SMTP, or
 * Microsoft Graph): read what is unread, mark it read, send. Messages travel as raw MIME
 * so both transports parse with the same code.
 */
export interface FetchedMail {
  /** The transport's own handle for the message (an IMAP uid, a Graph message id). */
  ref: string;
  raw: Buffer;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Our Message-ID for it, angle brackets included: replies name it. */
  messageId: string;
  inReplyTo?: string;
  references: string[];
  /** A calendar invitation sent with the text (iMIP: text/calendar with its METHOD). */
  calendar?: { method: "REQUEST" | "CANCEL"; content: string };
}

export interface MailTransport {
  /** `imap` or `graph`, for log lines and the doctor. */
  name: string;
  /**
   * Reads the unread messages oldest first and hands each to `handle`; a message is marked
   * read only after `handle` resolves true (its transaction committed), perhaps in a batch
   * with the next ones (the pass skips a message it recorded). Returns how many were read.
   * Throws when the mailbox cannot be reached.
   */
  readUnread(handle: (mail: FetchedMail) => Promise<boolean>): Promise<number>;
  send(mail: OutgoingMail): Promise<void>;
  /**
   * Calls `onArrival` as soon as the server says new mail arrived (IMAP IDLE), so a pass
   * need not wait for the next poll; returns what stops watching. Absent: polling only.
   */
  watch?(onArrival: () => void): () => Promise<void>;
  /** One ✓/✗ line per check (login and folder, sending), for `doctor`; `fix` says what to change when it fails. */
  check(): Promise<Array<{ name: string; ok: boolean; detail: string; fix?: string }>>;
  close(): Promise<void>;
}

/** A refusal that will not change by trying again (a rejected recipient): the owed mail fails. */
export class PermanentMailError extends Error {
  readonly permanent = true;
}

/** The service asked us to slow down (HTTP 429/503 with Retry-After): the outbox tries again after that. */
export class MailThrottledError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}
