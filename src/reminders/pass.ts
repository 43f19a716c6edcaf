import type { Logger } from "../logger.js";
import type { Dispatcher, DispatchResult } from "../outbox/dispatcher.js";
import { type PlanDeps, type PlanResult, planReminders } from "./plan.js";

export interface ReminderDeps extends PlanDeps {
  dispatcher: Dispatcher;
  log: Logger;
}

export interface PassSummary {
  plan: PlanResult;
  delivery?: DispatchResult;
  tookMs: number;
}

/**
 * One reminder pass as if it were `now`: plan what came due into the outbox, then send
 * what is owed. Several processes may run it at once; the outbox makes each reminder go
 * out once.
 */
export function createReminderPass(deps: ReminderDeps) {
  return async (now: Date, options: { dryRun?: boolean } = {}): Promise<PassSummary> => {
    const started = Date.now();
    const plan = await planReminders(deps, now, options);
    if (options.dryRun) return { plan, tookMs: Date.now() - started };
    const delivery = await deps.dispatcher.drain();
    const summary = { plan, delivery, tookMs: Date.now() - started };
    deps.log.info({ planned: plan.stored, ...delivery, tookMs: summary.tookMs }, "reminder pass");
    return summary;
  };
}
