import type { MaRequest } from "../../core/model.js";
import type { OutboxRow, OutboxTaker, OwedMessage } from "../../core/ports.js";
import { newRowId } from "../ids.js";

/** An owed message as it is inserted. */
export type OwedInsert = ReturnType<typeof owedRows>[number];

/**
 * The rows owed messages are stored as, due at once, with time-ordered ids (sent in id order on
 * ties). Every column but the claim's and the send's is written, none left to the schema's
 * default: each row is also what the taker sends (OutboxRow), so the two cannot differ.
 */
export function owedRows(messages: OwedMessage[], at: Date) {
  return messages.map(({ notBefore, dueDate, ...message }) => ({
    id: newRowId(),
    ...message,
    dueDate: dueDate ?? "",
    offsetDays: 0,
    status: "PENDING" as const,
    attempts: 0,
    nextAttemptAt: notBefore ?? at,
    lastError: "",
    snoozes: 0,
    createdAt: at,
  })) satisfies OutboxRow[];
}

/**
 * Between the repositories that store owed messages and the sender in this process (an
 * OutboxTaker, once one is set): rows due at once are written claimed for it and handed over
 * after their commit; rows stored unclaimed are announced to it.
 */
export interface OutboxHandoff {
  set(taker: OutboxTaker | undefined): void;
  /**
   * The rows to insert for `messages` owed at `at`, and what to tell the taker once they are
   * committed (`committed`): the due ones, claimed for it, when it takes them all.
   */
  claimed(messages: OwedMessage[], at: Date): OwedWrite;
  /**
   * After the commit of `claimed`'s rows: the claimed ones handed over (with the new request
   * they are about, as written, so their sender need not read it back), unclaimed ones announced.
   */
  committed(write: OwedWrite, subject?: MaRequest): void;
  /** Rows were stored unclaimed (announced after their commit: a claim before it would not see them). */
  owed(): void;
}

export interface OwedWrite {
  rows: Array<OwedInsert & ClaimColumns>;
  handed: OutboxRow[];
  /** The lease the handed rows were written with. */
  until?: Date;
  /** Some rows were stored unclaimed. */
  unclaimed: boolean;
}

type ClaimColumns = { claimedBy?: string | null; claimedUntil?: Date | null };

export function createOutboxHandoff(): OutboxHandoff {
  let taker: OutboxTaker | undefined;
  return {
    set: (next) => {
      taker = next;
    },
    claimed: (messages, at) => {
      const rows = owedRows(messages, at);
      const due = rows.filter((row) => row.nextAttemptAt.getTime() <= at.getTime());
      const until = due.length > 0 ? taker?.lease(due.length) : undefined;
      if (!taker || !until) return { rows, handed: [], unclaimed: rows.length > 0 };
      const { worker } = taker;
      // Every row sets the same columns (one prepared insert): later ones unclaimed.
      const claimed = rows.map((row) =>
        row.nextAttemptAt.getTime() <= at.getTime()
          ? { ...row, claimedBy: worker, claimedUntil: until }
          : { ...row, claimedBy: null, claimedUntil: null },
      );
      return { rows: claimed, handed: due, until, unclaimed: due.length < rows.length };
    },
    committed: (write, subject) => {
      if (write.until && write.handed.length > 0) taker?.take(write.handed, write.until, subject);
      if (write.unclaimed) taker?.owed();
    },
    owed: () => taker?.owed(),
  };
}
