import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { ChatChannel } from "../chat/announce.js";
import type { Clock, Sleep } from "../core/clock.js";
import type { ReminderOutbox, RequestRepository, SettingsStore } from "../core/ports.js";
import type { Db } from "../db/client.js";
import type { Logger } from "../logger.js";
import { type DeliverDeps, type DeliverResult, deliverDueReminders } from "./deliver.js";
import { ConversationPacer } from "./pacer.js";
import { type PlanResult, planReminders } from "./plan.js";

export interface ReminderDeps {
  prisma: Db;
  outbox: ReminderOutbox;
  settings: SettingsStore;
  requests: RequestRepository;
  channels: ChatChannel[];
  clock: Clock;
  sleep: Sleep;
  offsets: readonly number[];
  timeZone: string;
  log: Logger;
  /** Called between sending and recording (tests simulate a crash there). */
  afterSend?: DeliverDeps["afterSend"];
}

export interface PassSummary {
  plan: PlanResult;
  delivery?: DeliverResult;
  tookMs: number;
}

/** A name for this process in outbox claims. */
export function workerName(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * One reminder pass as if it were `now`: plan what came due, then deliver. Several
 * processes may run it at once; the outbox makes each reminder go out once.
 */
export function createReminderPass(deps: ReminderDeps) {
  const worker = workerName();
  const pacer = new ConversationPacer(deps.clock, deps.sleep);
  return async (now: Date, options: { dryRun?: boolean } = {}): Promise<PassSummary> => {
    const started = Date.now();
    const plan = await planReminders(deps, now, options);
    if (options.dryRun) return { plan, tookMs: Date.now() - started };
    const delivery = await deliverDueReminders({ ...deps, pacer, worker });
    const summary = { plan, delivery, tookMs: Date.now() - started };
    deps.log.info({ planned: plan.stored, ...delivery, tookMs: summary.tookMs }, "reminder pass");
    return summary;
  };
}
