/** What the e-mail bridge remembers about mail: each message once, and which request it is about. */
export interface MailRecord {
  messageId: string;
  direction: "in" | "out";
  requestId?: string;
  outboxId?: string;
  fromAddress: string;
  subject: string;
  /** in: request, completed, answer, note, held, ignored, bounce, duplicate; out: sent. */
  outcome: string;
  reason: string;
  at: Date;
}

export interface MailStore {
  /** A message already handled: recorded, or its change claimed under `key`. */
  isHandled(messageId: string, key: string): Promise<boolean>;
  /** Records a message; a second record of the same id changes nothing. Inside `database.transaction`, part of it. */
  record(entry: MailRecord): Promise<void>;
  /** The request any of these message ids belongs to (the newest match first). */
  requestOfMessages(messageIds: string[]): Promise<string | undefined>;
  /** Every message id sent or received for a request, oldest first: a new mail's References. */
  threadOf(requestId: string): Promise<Array<{ messageId: string; direction: string; fromAddress: string }>>;
  /** How many mails from this sender had this outcome since `since`. */
  countFrom(fromAddress: string, outcome: string, since: Date): Promise<number>;
  /** One more mail held for faculty on this request. */
  holdOnRequest(requestId: string, at: Date): Promise<void>;
  /** A sent mail bounced: its owed row becomes failed with the reason; returns the row's subject. */
  markBounced(outboxId: string, reason: string): Promise<{ subjectKey: string } | undefined>;
  /** Takes or renews the lease `name` until `until`; false while another holder has it. */
  acquireLease(name: string, holder: string, now: Date, until: Date): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
}
