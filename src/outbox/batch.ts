import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { CoreDeps } from "../core/deps.js";
import type { OutboxRow } from "../core/ports.js";

/** Lets I/O callbacks and timers that are due run before going on. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The most rows one claim takes, however long the lease. */
const MAX_BATCH = 20;

/**
 * Rows per claim: as many as can be sent within one lease if every send takes the whole
 * send timeout, so a batch never outlives its lease even before renewals.
 */
export function batchSize(leaseMs: number, sendTimeoutMs: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.floor(leaseMs / sendTimeoutMs)));
}

/** A name for this process in outbox claims. */
export function workerName(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Orders a batch round-robin across conversations, so pacing one busy channel does not
 * hold up messages to the others.
 */
export function interleaveByConversation(rows: OutboxRow[]): OutboxRow[] {
  const queues = new Map<string, OutboxRow[]>();
  for (const row of rows) {
    const key = `${row.platform}:${row.conversationId}`;
    queues.set(key, [...(queues.get(key) ?? []), row]);
  }
  const ordered: OutboxRow[] = [];
  for (let round = 0; ordered.length < rows.length; round++) {
    for (const queue of queues.values()) if (queue[round]) ordered.push(queue[round]!);
  }
  return ordered;
}

/** `core`, calling `noticed` whenever something is owed through its outbox. */
export function noticingOwed(core: CoreDeps, noticed: () => void): CoreDeps {
  const { outbox } = core;
  return {
    ...core,
    outbox: {
      ...outbox,
      enqueue: (messages, at) => {
        noticed();
        return outbox.enqueue(messages, at);
      },
    },
  };
}
