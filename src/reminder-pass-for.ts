import type { AppContext } from "./app.js";
import { createReminderPass } from "./reminders/pass.js";

/** The reminder pass over this context's database and chat channels. */
export function createReminderPassFor(context: AppContext) {
  return createReminderPass({
    core: context.core,
    dispatcher: context.dispatcher,
    offsets: context.config.REMINDER_OFFSETS_DAYS,
    timeZone: context.config.REMINDER_TIMEZONE,
    // The live list: chat adapters join it as they start.
    platforms: context.channels,
    digestTime: context.config.DIGEST_TIME,
    log: context.logger,
    clock: context.clock,
  });
}
