import type { Clock } from "../core/clock.js";
import type { Logger } from "../logger.js";
import type { Dispatcher, DispatchResult } from "../outbox/dispatcher.js";
import { planServiceLevels, type ServicePlanDeps, type ServicePlanResult } from "./nudges.js";
import { type PlanDeps, type PlanResult, planReminders } from "./plan.js";

export interface ReminderDeps extends PlanDeps, ServicePlanDeps {
  dispatcher: Dispatcher;
  log: Logger;
  /**
   * The real clock: what is planned is owed from its time, not from the pass's `now`
   * (a simulated `remind --now` must not owe messages in the future or the past, where
   * backoff and the 24 h give-up would misread them). Defaults to the core's clock.
   */
  clock?: Clock;
}

export interface PassSummary {
  plan: PlanResult;
  /** Service-level nudges and digests newly owed (not planned in a dry run). */
  service?: ServicePlanResult;
  delivery?: DispatchResult;
  tookMs: number;
}

/**
 * One reminder pass as if it were `now`: plan the reminders, service-level nudges and
 * digests that came due into the outbox, then send what is owed. Several processes may run
 * it at once; the outbox makes each reminder go out once. Only planning follows `now`:
 * what is planned is owed from the real time, and the dispatcher claims, backs off and
 * gives up on the real clock.
 */
export function createReminderPass(deps: ReminderDeps) {
  return async (now: Date, options: { dryRun?: boolean } = {}): Promise<PassSummary> => {
    const started = Date.now();
    const owedAt = (deps.clock ?? deps.core.clock).now();
    const plan = await planReminders(deps, now, { ...options, owedAt });
    const service = await planServiceLevels(deps, now, owedAt, options);
    if (options.dryRun) return { plan, service, tookMs: Date.now() - started };
    const delivery = await deps.dispatcher.drain();
    const summary = { plan, service, delivery, tookMs: Date.now() - started };
    deps.log.info({ planned: plan.stored, ...service, ...delivery, tookMs: summary.tookMs }, "reminder pass");
    return summary;
  };
}
