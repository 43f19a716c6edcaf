import type { RequestListener } from "node:http";
import type { App, Logger as BoltLogger } from "@slack/bolt";
import type { ChatChannel } from "../chat/channel.js";
import type { InteractionDeps } from "../chat/interactions/outcome.js";
import { errorSummary, type Logger } from "../logger.js";
import type { PlatformHealth } from "../platform-health.js";
import { bolt } from "./bolt.js";
import { createSlackContacts } from "./contacts.js";
import { SlackEventsReceiver } from "./events-receiver.js";
import * as actions from "./listeners/actions.js";
import * as commands from "./listeners/commands.js";
import type { SlackListenerDeps } from "./listeners/deps.js";
import * as events from "./listeners/events.js";
import * as views from "./listeners/views.js";
import { createSlackChannel, createWebClient } from "./outbound.js";
import { watchSlackToken } from "./token-watch.js";
import { createSlackApi } from "./web-api.js";

export interface SlackOptions {
  signingSecret?: string;
  botToken: string;
  /** Socket Mode instead of HTTP when set. */
  appToken?: string;
  apiUrl: string;
  triageChannel?: string;
  contactEmail?: string;
  /** How long one Web API call may take (default 10 s). */
  timeoutMs?: number;
}

export interface SlackDeps {
  interaction: InteractionDeps;
  health: PlatformHealth;
  logger: Logger;
  options: SlackOptions;
}

export interface SlackAdapter {
  app: App;
  /**
   * HTTP mode: the shared server's listener, answering POST /slack/events itself ahead of
   * `next` (the Express app, for every other route).
   */
  route?: (next: RequestListener) => RequestListener;
  channel: ChatChannel;
  /** Checks the token and (Socket Mode) connects, in the background: a Slack outage never stops the bot. */
  start(): void;
  stop(): Promise<void>;
}

/**
 * Bolt's and the WebClient's logs through pino. Their debug lines carry whole request
 * and response bodies (form contents, e-mails, case data: CUI), so they are dropped
 * whatever LOG_LEVEL says. `quiet`: the WebClient warns on every failed call, while the
 * outbox and the token watch already say what matters once, so those warnings are dropped too.
 */
function boltLogger(logger: Logger, quiet = false): BoltLogger {
  const child = logger.child({ component: "slack" });
  const warn = quiet ? () => {} : (text: string) => child.warn(text);
  return {
    debug: () => {},
    info: (...args) => child.info(boltLine(args)),
    warn: (...args) => warn(boltLine(args)),
    error: (...args) => child.error(boltLine(args)),
    setLevel: () => {},
    getLevel: () => bolt.LogLevel.INFO,
    setName: () => {},
  };
}

/**
 * Bolt's receiver appends the error's message to its lines ("Parsing request body failed
 * (error: SyntaxError: Unexpected token … "<the body>" is not valid JSON)"): a parser's
 * message quotes the request body, so only the sentence before it is logged.
 */
export function boltLine(args: unknown[]): string {
  return args
    .map(String)
    .join(" ")
    .replace(/ \((code|error):[\s\S]*$/, "");
}

export function createSlackAdapter(deps: SlackDeps): SlackAdapter {
  const { options } = deps;
  const log = deps.logger.child({ component: "slack" });
  // No silent 30-minute retry storms: a call fails within the timeout and is never retried
  // by the client (chat.postMessage has no idempotency key); the outbox retries instead.
  const timeoutMs = options.timeoutMs ?? 10_000;
  const client = createWebClient({ botToken: options.botToken, apiUrl: options.apiUrl, timeoutMs, logger: boltLogger(deps.logger, true) });
  const api = createSlackApi({ botToken: options.botToken, apiUrl: options.apiUrl, timeoutMs });
  const identity = watchSlackToken(client, deps.health, log);
  // Our own authorize: Bolt's default calls auth.test from the constructor with nothing
  // awaiting it (a Slack outage at start became an unhandled rejection) and on requests.
  const authorize = async () => ({ botToken: options.botToken, botId: identity.botId, botUserId: identity.botUserId });
  // No conversation store: nothing here reads Bolt's per-conversation state, and it costs
  // a lookup on every request (~1 % of the bot's CPU under load).
  const common = { authorize, convoStore: false as const, logger: boltLogger(deps.logger), clientOptions: { slackApiUrl: options.apiUrl } };
  const receiver = options.appToken
    ? undefined
    : new SlackEventsReceiver({ signingSecret: options.signingSecret ?? "", boltLogger: boltLogger(deps.logger), log });
  const app = receiver ? new bolt.App({ ...common, receiver }) : new bolt.App({ ...common, appToken: options.appToken, socketMode: true });

  const listenerDeps: SlackListenerDeps = {
    interaction: deps.interaction,
    api,
    log,
    contacts: createSlackContacts({ api, people: deps.interaction.core.people, clock: deps.interaction.core.clock, log }),
    contactEmail: options.contactEmail,
    apiUrl: options.apiUrl,
  };
  for (const surface of [commands, views, actions, events]) surface.register(app, listenerDeps);
  app.error(async (error) => {
    log.error({ err: errorSummary(error) }, "slack listener failed");
  });

  let stopped = false;
  /** Socket Mode: connect, and keep trying while Slack is unreachable. */
  async function connect(attempt = 1): Promise<void> {
    try {
      await app.start();
      deps.health.set("slack", { state: "ok" });
    } catch (error) {
      if (stopped) return;
      deps.health.set("slack", { state: "degraded", reason: "Socket Mode could not connect" });
      log.warn({ err: errorSummary(error), attempt }, "Slack Socket Mode could not connect; retrying");
      setTimeout(() => void connect(attempt + 1), Math.min(2 ** attempt * 1000, 60_000)).unref();
    }
  }

  return {
    app,
    route: receiver && ((next) => receiver.route(next)),
    channel: createSlackChannel(api, options.triageChannel),
    start: () => {
      identity.start();
      if (options.appToken) void connect();
    },
    stop: async () => {
      stopped = true;
      identity.stop();
      if (options.appToken) await app.stop().catch(() => {});
    },
  };
}
