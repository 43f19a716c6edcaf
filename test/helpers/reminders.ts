import { webApi } from "@slack/bolt";
import type { ChatChannel } from "../../src/chat/channel.js";
import { plainText } from "../../src/chat/inert.js";
import type { MessageView } from "../../src/chat/views.js";
import { fixedClock } from "../../src/core/clock.js";
import { createPrismaRepositories } from "../../src/db/repositories/index.js";
import { createLogger } from "../../src/logger.js";
import { createDispatcher, type DispatcherDeps } from "../../src/outbox/dispatcher.js";
import { serviceSettings } from "../../src/reminders/holidays.js";
import { createReminderPass } from "../../src/reminders/pass.js";
import { classifySlackError } from "../../src/slack/outbound.js";
import { SlackCallError } from "../../src/slack/web-api.js";
import type { TestDatabase } from "./databases.js";

export interface SentMessage {
  conversationId: string;
  text: string;
  view: MessageView;
  at: number;
}

/** A chat channel that records what it is asked to send, and fails when told to. */
export class RecordingChannel implements ChatChannel {
  readonly platform = "slack" as const;
  readonly commandPrefix = "/ma ";
  readonly sent: SentMessage[] = [];
  readonly failures: unknown[] = [];
  classifyError = classifySlackError;

  constructor(private readonly now: () => number) {}

  private record(conversationId: string, view: MessageView): string {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push({ conversationId, text: plainText(view.text), view, at: this.now() });
    return String(this.sent.length);
  }

  async sendDirect(identityKey: string, view: MessageView): Promise<undefined> {
    this.record(`@${identityKey}`, view);
    return undefined;
  }

  async postCard(conversationId: string, view: MessageView): Promise<string> {
    return this.record(conversationId, view);
  }

  readonly updates: Array<{ messageId: string; view: MessageView }> = [];

  /** Thread replies are recorded as sent to `<channel>/thread/<card>`. */
  async replyToCard(ref: { conversationId: string; messageId: string }, view: MessageView): Promise<void> {
    this.record(`${ref.conversationId}/thread/${ref.messageId}`, view);
  }

  async updateCard(ref: { messageId: string }, view: MessageView): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.updates.push({ messageId: ref.messageId, view });
  }
}

export const rateLimited = (seconds: number) =>
  new SlackCallError(webApi.ErrorCode.RateLimitedError, "rate limited", { retryAfter: seconds });
export const platformError = (error: string) => new SlackCallError(webApi.ErrorCode.PlatformError, error, { data: { ok: false, error } });

/** A reminder world: one database, a clock that sleeping advances, a recording channel. */
export function reminderHarness(db: TestDatabase, start: string, offsets = [14, 7, 1, 0, -1]) {
  const clock = fixedClock(start);
  const channel = new RecordingChannel(() => clock.now().getTime());
  const repositories = createPrismaRepositories(db.database);
  const sleeps: number[] = [];
  const core = { ...repositories, clock, timeZone: "America/New_York", ...serviceSettings() };
  const log = createLogger("silent");
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    clock.advance(ms);
  };
  /** The claim's lease and the send timeout, when a test needs batches of another size. */
  type Timing = Pick<DispatcherDeps, "leaseMs" | "sendTimeoutMs">;
  const makeDispatcher = (afterSend?: DispatcherDeps["afterSend"], worker?: string, timing: Timing = {}) =>
    createDispatcher({ core, channels: [channel], sleep, timeZone: core.timeZone, log, afterSend, worker, ...timing });
  const makePass = (afterSend?: DispatcherDeps["afterSend"], timing: Timing = {}) =>
    createReminderPass({
      core,
      dispatcher: makeDispatcher(afterSend, undefined, timing),
      offsets,
      timeZone: core.timeZone,
      platforms: [channel],
      digestTime: "08:30",
      log,
    });
  return { clock, channel, repositories, sleeps, makePass, makeDispatcher, core };
}
