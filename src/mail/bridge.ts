import type { ChatChannel } from "../chat/channel.js";
import type { Config } from "../config.js";
import type { CoreDeps } from "../core/deps.js";
import type { SettingsStore } from "../core/ports.js";
import { errorSummary, type Logger } from "../logger.js";
import { workerName } from "../outbox/dispatcher.js";
import type { PlatformHealth } from "../platform-health.js";
import { createEmailChannel } from "./channel.js";
import { createGraphTransport } from "./graph.js";
import { graphHosts } from "./graph-hosts.js";
import { createImapTransport } from "./imap.js";
import { watchMailbox } from "./mailbox-watch.js";
import { type MailPassSummary, readMailbox } from "./read-mailbox.js";
import type { MailStore } from "./store.js";
import type { MailTransport } from "./transport.js";

export interface MailBridge {
  transport: MailTransport;
  store: MailStore;
  /** One pass over the mailbox (throws when it cannot be reached). */
  readOnce(): Promise<MailPassSummary>;
  /** One poll as `serve` runs it: never throws; an unreachable mailbox is logged once until it answers again. */
  pollOnce(): Promise<void>;
  /** Polls every `seconds` until stopped. */
  startPolling(seconds: number): void;
  stop(): Promise<void>;
}

/** MAIL_TRANSPORT's transport; Graph keeps its Inbox delta link in `settings` (shared by replicas). */
export function createMailTransport(config: Config, settings: SettingsStore): MailTransport {
  const address = config.MAIL_ADDRESS ?? "";
  if (config.MAIL_TRANSPORT === "graph") {
    return createGraphTransport({
      hosts: graphHosts(config.MICROSOFT_CLOUD, { apiUrl: config.GRAPH_API_URL, loginUrl: config.GRAPH_LOGIN_URL }),
      credentials: {
        tenantId: config.GRAPH_TENANT_ID ?? "",
        clientId: config.GRAPH_CLIENT_ID ?? "",
        clientSecret: config.GRAPH_CLIENT_SECRET ?? "",
      },
      address,
      settings,
      cloud: config.MICROSOFT_CLOUD,
    });
  }
  return createImapTransport({ imapUrl: config.IMAP_URL ?? "", smtpUrl: config.SMTP_URL ?? "", address });
}

/**
 * The mailbox as a third door: its channel joins the outbox's platforms (mail owed to
 * `email:` identities goes out through it) and a pass reads what arrived.
 */
export interface MailBridgeDeps {
  config: Config;
  core: CoreDeps;
  /** The live platform list: the bridge adds the e-mail channel to it. */
  channels: ChatChannel[];
  store: MailStore;
  health: PlatformHealth;
  logger: Logger;
  /** Something was owed: send it soon. */
  wake(): void;
}

export function createMailBridge(
  context: MailBridgeDeps,
  transport = createMailTransport(context.config, context.core.settings),
): MailBridge {
  const { config, logger, core, store } = context;
  const address = config.MAIL_ADDRESS ?? "";
  context.channels.push(createEmailChannel({ transport, store, requests: core.requests, address, clock: core.clock }));
  const log = logger.child({ component: "mail" });
  const worker = workerName();
  const readOnce = () => readMailbox({ core, channels: context.channels, transport, store, address, log, worker, wake: context.wake });

  const watch = watchMailbox({ core, channels: context.channels, transport: transport.name, wake: context.wake });
  // The watch's own faults (the database) are not the mailbox's: logged apart, never thrown.
  const watched = (step: () => Promise<void>) =>
    step().catch((error) => log.warn({ err: errorSummary(error) }, "could not record whether the mailbox answers"));

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let down = false;
  let stopWatching: (() => Promise<void>) | undefined;
  const poll = (): Promise<void> => {
    running ??= readOnce()
      .then(async (summary) => {
        await watched(watch.answered);
        if (down) log.info("mailbox reachable again");
        down = false;
        context.health.set("email", { state: "ok" });
        if (summary.read && summary.requests.length + summary.replies.length + summary.held.length + summary.ignored.length > 0) {
          log.info(
            {
              requests: summary.requests.length,
              replies: summary.replies.length,
              held: summary.held.length,
              ignored: summary.ignored.length,
            },
            "mail pass",
          );
        }
      })
      .catch((error) => {
        // Said once when it goes down, not on every poll; the next poll tries again.
        if (!down)
          log.warn(
            { err: errorSummary(error) },
            `mailbox not reachable (${transport.name}); will retry every ${config.MAIL_POLL_SECONDS} s`,
          );
        down = true;
        context.health.set("email", { state: "degraded", reason: "mailbox not reachable" });
        return watched(watch.failed);
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  // New mail announced while a pass runs may have arrived after that pass searched: one more
  // pass follows it (however many announcements came meanwhile).
  let arrivedDuringPass = false;
  const onArrival = () => {
    if (!running) return void poll();
    if (arrivedDuringPass) return;
    arrivedDuringPass = true;
    void running.then(() => {
      arrivedDuringPass = false;
      return poll();
    });
  };
  return {
    transport,
    store,
    readOnce,
    pollOnce: poll,
    startPolling(seconds) {
      timer ??= setInterval(() => void poll(), seconds * 1000);
      timer.unref();
      stopWatching ??= transport.watch?.(onArrival);
      void poll();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await stopWatching?.();
      stopWatching = undefined;
      await running;
      await transport.close();
    },
  };
}
