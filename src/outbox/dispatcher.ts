import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { ChatChannel } from "../chat/channel.js";
import type { Sleep } from "../core/clock.js";
import type { CoreDeps } from "../core/deps.js";
import type { MaRequest } from "../core/model.js";
import type { OutboxRow, OutboxTaker } from "../core/ports.js";
import { errorSummary, type Logger } from "../logger.js";
import { createClaims } from "./claims.js";
import { ConversationPacer, interleaveByConversation } from "./pacer.js";
import { backoffMs, CLAIM_LEASE_MS, GIVE_UP_AFTER_MS, SEND_TIMEOUT_MS, WAIT_RETRY_MS } from "./policy.js";
import { PREFETCH_FRESH_MS, prefetchedFor } from "./prefetch.js";
import { idOf, type PrepareDeps, prepare, type Recording } from "./prepare.js";
import { withTimeout } from "./send-timeout.js";

export interface DispatcherDeps extends PrepareDeps {
  channels: readonly ChatChannel[];
  sleep: Sleep;
  log: Logger;
  /** How long a claim lasts ({@link CLAIM_LEASE_MS}); tests shorten it. */
  leaseMs?: number;
  /** How long one send may take ({@link SEND_TIMEOUT_MS}); tests shorten it. */
  sendTimeoutMs?: number;
  /** This process's name in claims; defaults to `host:pid:random`. */
  worker?: string;
  /** Called between sending and recording (tests simulate a crash there). */
  afterSend?: (row: OutboxRow) => Promise<void>;
}

export interface DispatchResult {
  sent: number;
  retried: number;
  failed: number;
  cancelled: number;
}

export interface Dispatcher {
  /** Sends everything due now, then returns what happened. Never throws for a platform fault. */
  drain(): Promise<DispatchResult>;
  /**
   * Something was just owed: drain soon, without waiting for the next tick. Once started, the
   * dispatcher hears of every row stored unclaimed (OutboxTaker.owed), so a wake claims only
   * when one was; before, it always claims.
   */
  wake(): void;
  /**
   * Drains every `intervalMs` (retries, other replicas' leftovers) until stopped, and takes the
   * rows this process's changes owe as they are stored (see OutboxTaker): they are sent without
   * being claimed or read back.
   */
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

/** A name for this process in outbox claims. */
export function workerName(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * The one sender of everything the bot owes. Each row is claimed by one worker alone
 * (several replicas share the outbox), prepared from the current state, paced per
 * conversation, and recorded after it is sent: a crash in between resends that one
 * message once the claim's lease ends, never loses it. Immediately before each send the
 * worker checks (and, when its lease runs short, renews) its claim and sends only if the row
 * is still its own, so a row whose lease ran out (and which another replica may have taken)
 * is never sent twice.
 * 429s wait for Retry-After, transient failures back off, permanent ones are recorded
 * with their reason.
 */
export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const { outbox } = deps.core;
  const clock = deps.clock ?? deps.core.clock;
  const leaseMs = deps.leaseMs ?? CLAIM_LEASE_MS;
  const sendTimeoutMs = deps.sendTimeoutMs ?? SEND_TIMEOUT_MS;
  // Each send starts with a whole lease: a send timeout as long would let it outlive its claim.
  if (sendTimeoutMs >= leaseMs) throw new Error("the outbox send timeout must be shorter than the claim lease");
  const worker = deps.worker ?? workerName();
  const pacer = new ConversationPacer(clock, deps.sleep);
  const log = deps.log.child({ component: "outbox" });
  const now = () => clock.now();
  let stopping = false;
  // Rows handed over are drained without a claim, unless one is wanted.
  const claims = createClaims({ outbox, worker, leaseMs, sendTimeoutMs, now, stopping: () => stopping, handed: () => void quietly(false) });
  /** New requests handed over with their messages (OutboxTaker.take), until those are sent. */
  const written = new Map<string, { request: MaRequest; at: number }>();
  const taker: OutboxTaker = {
    ...claims.taker,
    take: (rows, until, subject) => {
      // On the core's clock, as the prefetch that reads it.
      if (subject) written.set(subject.id, { request: subject, at: deps.core.clock.now().getTime() });
      claims.taker.take(rows, until);
    },
  };

  async function settle(row: OutboxRow, error: unknown, channel: ChatChannel, result: DispatchResult): Promise<"transient" | "handled"> {
    const failure = channel.classifyError(error);
    const tooOld = now().getTime() - row.createdAt.getTime() > GIVE_UP_AFTER_MS;
    if (failure.kind === "permanent" || (failure.kind === "transient" && tooOld)) {
      const reason = failure.reason;
      await outbox.markFailed(row.id, worker, reason);
      log.warn({ message: row.id, kind: row.kind, platform: row.platform, reason }, "message could not be delivered");
      result.failed++;
      return "handled";
    }
    const wait = failure.kind === "rateLimited" ? failure.retryAfterMs : backoffMs(row.attempts + 1);
    await outbox.retryLater(
      row.id,
      worker,
      new Date(now().getTime() + wait),
      failure.kind === "rateLimited" ? "rate limited" : failure.reason,
    );
    result.retried++;
    return failure.kind === "transient" ? "transient" : "handled";
  }

  async function deliver(row: OutboxRow, down: Set<string>, result: DispatchResult, core: CoreDeps): Promise<void> {
    const channel = deps.channels.find((candidate) => candidate.platform === row.platform);
    if (!channel) {
      await outbox.markFailed(row.id, worker, `${row.platform} is not configured`);
      result.failed++;
      return;
    }
    if (down.has(row.platform)) {
      // The platform just failed for another message: don't hammer it, try again with it.
      await outbox.retryLater(row.id, worker, new Date(now().getTime() + backoffMs(1)), "platform unavailable");
      result.retried++;
      return;
    }
    let plan: Awaited<ReturnType<typeof prepare>>;
    try {
      plan = await prepare({ ...deps, core }, row);
    } catch (error) {
      // One message that cannot be prepared (its record unreadable) must not hold up the rest.
      log.warn({ message: row.id, kind: row.kind, err: errorSummary(error) }, "message could not be prepared; will retry");
      await settle(row, error, channel, result);
      return;
    }
    if ("cancel" in plan) {
      await outbox.cancel(row.id, plan.cancel);
      result.cancelled++;
      return;
    }
    if ("wait" in plan) {
      await outbox.retryLater(row.id, worker, new Date(now().getTime() + WAIT_RETRY_MS), plan.wait);
      result.retried++;
      return;
    }
    await pacer.wait(`${row.platform}:${row.conversationId}`);
    if (!(await claims.mayStillSend(row))) {
      log.info({ message: row.id, kind: row.kind }, "claim expired before sending; left to whoever holds it now");
      return;
    }
    let record: Recording | undefined;
    try {
      record = (await withTimeout(plan.send(channel), sendTimeoutMs)) || undefined;
    } catch (error) {
      if ((await settle(row, error, channel, result)) === "transient") down.add(row.platform);
      return;
    }
    await deps.afterSend?.(row);
    // Counted, and where it landed recorded, only when the row was still ours: then this send
    // is the one that counts.
    if (await outbox.markSent(row.id, worker, now(), record)) result.sent++;
    else log.warn({ message: row.id, kind: row.kind }, "sent after its claim was lost; it may have been sent twice");
  }

  /** Started: rows are handed to it, and unclaimed writes announced (see wake). */
  let taking = false;

  async function drainOnce(): Promise<DispatchResult> {
    const result: DispatchResult = { sent: 0, retried: 0, failed: 0, cancelled: 0 };
    const down = new Set<string>();
    while (!stopping) {
      const rows = await claims.next();
      if (rows.length === 0) return result;
      // Older than a prefetch may be (messages given back when stopping): read afresh.
      const readAt = deps.core.clock.now().getTime();
      for (const [id, write] of written) if (readAt - write.at >= PREFETCH_FRESH_MS) written.delete(id);
      const core = await prefetchedFor(deps.core, rows, written);
      for (const row of rows) written.delete(idOf(row.subjectKey));
      for (const row of interleaveByConversation(rows)) {
        // Shutting down: what this process claimed goes back at once, for the next one to send.
        if (stopping) await claims.release(row);
        else await deliver(row, down, result, core);
        claims.done(row);
      }
    }
    await claims.releaseWaiting();
    return result;
  }

  let running: Promise<DispatchResult> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  /** `claim`: false for a drain of handed rows only (a claim still runs if one is wanted). */
  const drain = (claim = true): Promise<DispatchResult> => {
    if (claim) claims.want();
    if (running) {
      again = true;
      return running;
    }
    running = drainOnce().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        // Whoever asked for it wanted a claim or not (the claims remember which).
        void quietly(false);
      }
    });
    return running;
  };
  /** A drain from a timer or a wake: a database or platform fault is one log line, never a crash. */
  const quietly = (claim = true) =>
    drain(claim).catch((error) => {
      log.warn({ err: errorSummary(error) }, "outbox dispatch failed; will retry");
    });

  return {
    drain: () => drain(),
    wake: () => void quietly(!taking),
    start: (intervalMs) => {
      taking = true;
      outbox.handTo(taker);
      timer ??= setInterval(() => void quietly(), intervalMs);
      timer.unref();
      void quietly();
    },
    stop: async () => {
      stopping = true;
      clearInterval(timer);
      timer = undefined;
      await running?.catch(() => {});
    },
  };
}
