import type { Config } from "../config.js";
import { clockStartingAt } from "../core/clock.js";
import type { Platform } from "../core/model.js";
import { identityOfAddress } from "../core/people/identity.js";
import type { Repositories } from "../db/repositories/index.js";
import { createLogger } from "../logger.js";
import { loadApp, say, UsageError } from "./shared.js";

/** A person by their identity key: their name and the key, or the key alone when no name is known. */
async function personText(people: Repositories["people"], identityKey: string): Promise<string> {
  const person = await people.resolve({ key: identityKey });
  const bareId = identityKey.slice(identityKey.indexOf(":") + 1);
  return person.displayName && person.displayName !== bareId ? `${person.displayName} (${identityKey})` : identityKey;
}

/**
 * Where a reminder goes, in words: the person or the channel's name where the store knows
 * it, and a 1:1 or group chat called what it is, not "a channel".
 */
function conversationNamer(repositories: Repositories) {
  return async (platform: Platform, conversationId: string): Promise<string> => {
    const direct = identityOfAddress(conversationId);
    if (direct) return `a direct message to ${await personText(repositories.people, direct)}`;
    const stored = await repositories.conversations.find(platform, conversationId);
    if (stored?.kind === "personal") {
      return stored.identityKey
        ? `the ${platform} 1:1 chat with ${await personText(repositories.people, stored.identityKey)}`
        : `a ${platform} 1:1 chat (${conversationId})`;
    }
    let name: string | undefined;
    try {
      name = (JSON.parse(stored?.reference ?? "{}") as { conversation?: { name?: string } }).conversation?.name || undefined;
    } catch {
      name = undefined;
    }
    const kind = stored?.kind === "groupChat" ? "group chat" : "channel";
    return name ? `${platform} ${kind} "${name}" (${conversationId})` : `${platform} ${kind} ${conversationId}`;
  };
}

/**
 * `remind --once [--now ISO-8601] [--dry-run]`: one reminder pass as if it were `--now`.
 * A platform that is down leaves its messages owed (sent by the next pass or the bot);
 * the command still ends with its summary.
 */
export async function remindOnce(config: Config, values: { now?: string; "dry-run"?: boolean }): Promise<number> {
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now "${values.now}" is not an ISO-8601 time, e.g. 2026-03-02T13:00:00Z`);
  const { createChatAdapters, createReminderPassFor, prepareContext } = await loadApp();
  const logger = createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL);
  // Planning follows --now; the outbox keeps the real clock, so this pass never claims what a
  // live bot holds or has in backoff, nor counts a fresh failure as a day old.
  const context = await prepareContext(config, logger, { planningClock: clockStartingAt(now) });
  try {
    await createChatAdapters(context);
    const summary = await createReminderPassFor(context)(now, { dryRun: values["dry-run"] });
    const { plan } = summary;
    say(
      `Reminder pass as of ${now.toISOString()} (days ${plan.window.sinceDay} exclusive to ${plan.window.untilDay}, ${config.REMINDER_TIMEZONE}):`,
    );
    const describe = conversationNamer(context.repositories);
    for (const item of plan.candidates) {
      const to = await describe(item.platform, item.conversationId);
      const when =
        item.offsetDays > 0
          ? `${item.offsetDays} day(s) before`
          : item.offsetDays === 0
            ? "on the day"
            : `${-item.offsetDays} day(s) overdue`;
      say(`  ${item.what}, due ${item.dueDate} (${when}) → ${to}`);
    }
    if (values["dry-run"]) {
      const { nudges = 0, digests = 0 } = summary.service ?? {};
      say(
        `Dry run: ${plan.candidates.length} reminder(s), ${nudges} service-level nudge(s) and ${digests} digest(s) came due; nothing stored or sent.`,
      );
    } else {
      const delivery = summary.delivery;
      say(
        `Planned ${plan.stored} new of ${plan.candidates.length}, ${summary.service?.nudges ?? 0} service-level nudge(s) and ${summary.service?.digests ?? 0} digest(s); sent ${delivery?.sent ?? 0}, retry later ${delivery?.retried ?? 0}, failed ${delivery?.failed ?? 0}, cancelled ${delivery?.cancelled ?? 0} (${summary.tookMs} ms).`,
      );
    }
    return 0;
  } finally {
    await context.database.close();
  }
}
