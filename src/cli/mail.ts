import type { Config } from "../config.js";
import { createLogger } from "../logger.js";
import { loadApp, say, UsageError } from "./shared.js";

/**
 * `mail --once`: one pass over the mailbox, then sends what it owes, and says what it did.
 * An unreachable mailbox is a clear failure (exit 1); nothing is marked read.
 */
export async function mailOnce(config: Config): Promise<number> {
  if (!config.MAIL_TRANSPORT) throw new UsageError("the e-mail bridge is off: set MAIL_TRANSPORT (see README, E-mail)");
  const { createChatAdapters, prepareContext } = await loadApp();
  const logger = createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL);
  const context = await prepareContext(config, logger, { dispatch: false });
  try {
    const { mail } = await createChatAdapters(context);
    if (!mail) return 1;
    let summary: Awaited<ReturnType<typeof mail.readOnce>>;
    try {
      summary = await mail.readOnce();
    } catch (error) {
      throw new Error(`the mailbox did not answer (${mail.transport.name}): ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!summary.read) {
      say("Another process is reading the mailbox now; nothing read.");
      return 0;
    }
    const section = (title: string, lines: string[]) => {
      say(`${title}: ${lines.length}`);
      for (const line of lines) say(`  ${line}`);
    };
    section("New requests", summary.requests);
    section("Replies matched", summary.replies);
    section("Held for faculty", summary.held);
    section("Ignored", summary.ignored);
    if (summary.duplicates > 0) say(`Already seen: ${summary.duplicates}`);
    if (summary.failed > 0) say(`Left unread to try again: ${summary.failed}`);
    const delivery = await context.dispatcher.drain();
    say(`Sent ${delivery.sent}, retry later ${delivery.retried}, failed ${delivery.failed}, cancelled ${delivery.cancelled}.`);
    await mail.stop();
    return summary.failed > 0 ? 1 : 0;
  } finally {
    await context.database.close();
  }
}
