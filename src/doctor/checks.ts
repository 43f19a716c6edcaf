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
    : fail("database", readiness.reason, "check DATABASE_URL, then run `npm run cli -- migrate`");
}

/** An owed message older than this means nothing is delivering (no bot running, or a platform down). */
export const STUCK_AFTER_MINUTES = 60;
/** Permanent failures to one conversation, within FAILURE_WINDOW_MS, that make its own ✗ line. */
export const REPEATED_FAILURES = 3;
const FAILURE_WINDOW_MS = 48 * 60 * 60_000;

/** The schedule's next runs and what the outbox holds: owed, failed, and how old the oldest owed one is. */
export async function reminderChecks(config: Config, outbox: Outbox, now: Date): Promise<Check[]> {
  const task = cron.createTask(config.REMINDER_CRON, () => {}, { timezone: config.REMINDER_TIMEZONE });
  const next = task.getNextRuns(3).map((at) => at.toISOString().slice(0, 16).replace("T", " "));
  await task.destroy();
  const counts = await outbox.statusCounts();
  const oldest = await outbox.oldestDue(now);
  const ageMinutes = oldest ? Math.round((now.getTime() - oldest.getTime()) / 60_000) : 0;
  const summary = `${counts.PENDING ?? 0} owed${oldest ? `, the longest-waiting due ${ageMinutes} min ago` : ""}, ${counts.FAILED ?? 0} failed`;
  return [
    pass("reminder schedule", `${config.REMINDER_CRON} in ${config.REMINDER_TIMEZONE}; next runs ${next.join(", ")} UTC`),
    ageMinutes < STUCK_AFTER_MINUTES
      ? pass("outbox", summary)
      : fail(
          "outbox",
          summary,
          "nothing has been delivered for an hour: is the bot running, and can it reach its platforms (lines above)?",
        ),
  ];
}

/**
 * One ✗ per conversation that refused several messages for good lately (a removed bot, an
 * archived channel): a single failure is in `outbox --status`, a repeated one needs a person.
 */
export async function deliveryChecks(outbox: Outbox, now: Date): Promise<Check[]> {
  const since = new Date(now.getTime() - FAILURE_WINDOW_MS);
  const repeated = (await outbox.failuresByConversation(since)).filter((group) => group.count >= REPEATED_FAILURES);
  if (repeated.length === 0) return [pass("deliveries", "no conversation refused messages repeatedly in the last 2 days")];
  return repeated.map((group) =>
    fail(
      `delivery to ${group.platform} ${group.conversationId}`,
      `${group.count} messages refused for good in the last 2 days (last: ${group.lastError})`,
      "see `npm run cli -- outbox --status`; re-add the bot there or choose another channel",
    ),
  );
}
