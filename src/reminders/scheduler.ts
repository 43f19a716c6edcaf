import cron from "node-cron";
import { errorSummary, type Logger } from "../logger.js";

export interface SchedulerOptions {
  expression: string;
  timeZone: string;
  runPass: () => Promise<unknown>;
  log: Logger;
}

/**
 * Runs the reminder pass on REMINDER_CRON, one at a time in this process (noOverlap),
 * and once at start so ticks missed while the bot was down are caught up. Correctness
 * across replicas lives in the database (outbox), not in node-cron.
 */
export function startReminderScheduler(options: SchedulerOptions): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const run = () => {
    running ??= options
      .runPass()
      .catch((error) => options.log.error({ err: errorSummary(error) }, "reminder pass failed"))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const task = cron.schedule(options.expression, run, { timezone: options.timeZone, noOverlap: true, name: "mission-assist-reminders" });
  void run();
  return {
    stop: async () => {
      await task.stop();
      await running;
    },
  };
}
