import type { ChatChannel } from "../chat/channel.js";
import { formatDuration, formatInstant } from "../chat/format.js";
import { noticeToAdmins } from "../chat/notify-admins.js";
import type { CoreDeps } from "../core/deps.js";

/**
 * How long the mailbox may stay silent before the admins are told. Long enough that a
 * server restart or a slow poll says nothing; short enough that mailed requests do not wait
 * unseen for a day (the daily self-check would find it only then).
 */
export const MAILBOX_SILENCE_ALERT_MS = 15 * 60_000;

/** When the mailbox last answered (shared by every replica, so they agree on one outage). */
const LAST_ANSWER = "mail:last-answer";
/** The outage (named by its LAST_ANSWER) the admins were told about. */
const TOLD = "mail:silence-told";

export interface MailboxWatch {
  /** A pass reached the mailbox; tells the admins once when it answers again after an alert. */
  answered(): Promise<void>;
  /** A pass could not reach it; tells the admins once when it has been silent for too long. */
  failed(): Promise<void>;
}

/**
 * Tells every admin, by direct message on each platform, when the mailbox has not answered
 * for MAILBOX_SILENCE_ALERT_MS, and again when it answers: one notice each per outage, even
 * with several replicas polling (the outbox's dedupe key names the outage).
 */
export function watchMailbox(deps: { core: CoreDeps; channels: readonly ChatChannel[]; transport: string; wake(): void }): MailboxWatch {
  const { core } = deps;
  const tell = async (text: string, key: string) => {
    await noticeToAdmins(core, deps.channels, text, { subjectKey: "mailbox", key });
    deps.wake();
  };

  return {
    async answered() {
      const told = await core.settings.get(TOLD);
      if (told) {
        await tell(
          `Mission Assist: the mailbox (${deps.transport}) answers again; mail that waited there is being read now.`,
          `mailbox-up:${told}`,
        );
        await core.settings.set(TOLD, "");
      }
      await core.settings.set(LAST_ANSWER, core.clock.now().toISOString());
    },
    async failed() {
      const now = core.clock.now();
      const last = await core.settings.get(LAST_ANSWER);
      // Never answered since the bot was set up: the outage is counted from this first failure.
      if (!last) return core.settings.set(LAST_ANSWER, now.toISOString());
      const silentFor = now.getTime() - new Date(last).getTime();
      if (silentFor < MAILBOX_SILENCE_ALERT_MS || (await core.settings.get(TOLD)) === last) return;
      await tell(
        `Mission Assist: the mailbox (${deps.transport}) has not answered since ${formatInstant(new Date(last), core.timeZone)} (${formatDuration(silentFor)}). ` +
          "Mail sent to it waits there and will be read once it answers; `mission-assist doctor` shows what fails.",
        `mailbox-down:${last}`,
      );
      await core.settings.set(TOLD, last);
    },
  };
}
