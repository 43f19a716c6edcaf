import cron from "node-cron";
import type { Config } from "../config.js";
import type { Outbox } from "../core/ports.js";
import type { Database } from "../db/client.js";
import { checkReadiness } from "../db/readiness.js";

/** One line of the doctor: what was checked, whether it works, and what to do when not. */
export interface Check {
  ok: boolean;
  name: string;
  detail: string;
  fix?: string;
}

export const pass = (name: string, detail: string): Check => ({ ok: true, name, detail });
export const fail = (name: string, detail: string, fix: string): Check => ({ ok: false, name, detail, fix });

export function formatCheck(check: Check): string {
  return `${check.ok ? "✓" : "✗"} ${check.name}: ${check.detail}${check.fix ? ` — ${check.fix}` : ""}`;
}

export function configurationCheck(config: Config): Check {
  return pass(
    "configuration",
    `valid (database ${config.DATABASE_URL.startsWith("file:") ? "SQLite" : "PostgreSQL"}, time zone ${config.REMINDER_TIMEZONE})`,
  );
}

export async function databaseCheck(database: Database): Promise<Check> {
  const readiness = await checkReadiness(database);
  return readiness.ready
    ? pass("database", "reachable, every migration applied")
    : fail("database", readiness.reason, "check DATABASE_URL, then run `npx mission-assist migrate`");
}

/** The schedule's next runs and what the outbox holds: owed, failed, and how old the oldest owed one is. */
export async function reminderChecks(config: Config, outbox: Outbox, now: Date): Promise<Check[]> {
  const task = cron.createTask(config.REMINDER_CRON, () => {}, { timezone: config.REMINDER_TIMEZONE });
  const next = task.getNextRuns(3).map((at) => at.toISOString().slice(0, 16).replace("T", " "));
  await task.destroy();
  const counts = await outbox.statusCounts();
  const oldest = await outbox.oldestPending();
  const ageMinutes = oldest ? Math.round((now.getTime() - oldest.getTime()) / 60_000) : 0;
  const failed = counts.FAILED ?? 0;
  const owed = `${counts.PENDING ?? 0} owed${oldest ? `, oldest ${ageMinutes} min` : ""}`;
  return [
    pass("reminder schedule", `${config.REMINDER_CRON} in ${config.REMINDER_TIMEZONE}; next runs ${next.join(", ")} UTC`),
    failed === 0
      ? pass("outbox", `${owed}, none failed`)
      : fail("outbox", `${owed}, ${failed} failed`, "see `npx mission-assist outbox --status` for each reason"),
  ];
}
