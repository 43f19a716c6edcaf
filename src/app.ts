import type { Server } from "node:http";
import express from "express";
import type { ChatChannel } from "./chat/channel.js";
import type { InteractionDeps } from "./chat/interactions/outcome.js";
import { claimPort } from "./claim-port.js";
import { type Config, listenAddress, slackEnabled, teamsMode } from "./config.js";
import { type Clock, realSleep, type Sleep, systemClock } from "./core/clock.js";
import type { CoreDeps } from "./core/deps.js";
import { type Database, openDatabase, tuneSqlite } from "./db/client.js";
import { checkDatabaseConnection } from "./db/connection-check.js";
import { loadDemoDataOnce } from "./db/demo-data.js";
import { migrateIfNeeded } from "./db/migrate.js";
import { createPrismaRepositories, type Repositories } from "./db/repositories/index.js";
import { formatCheck } from "./doctor/checks.js";
import { runDoctor } from "./doctor/run.js";
import { SELF_CHECK_INTERVAL_MS, selfCheck } from "./doctor/self-check.js";
import { jsonErrors, jsonNotFound } from "./http/errors.js";
import { healthRoutes } from "./http/health.js";
import { errorSummary, type Logger } from "./logger.js";
import type { MailBridge } from "./mail/bridge.js";
import { type MailOptions, mailBridgeFor } from "./mail-setup.js";
import { createDispatcher, type Dispatcher } from "./outbox/dispatcher.js";
import { DISPATCH_INTERVAL_MS } from "./outbox/policy.js";
import { PlatformHealth } from "./platform-health.js";
import { createReminderPassFor } from "./reminder-pass-for.js";
import { startReminderScheduler } from "./reminders/scheduler.js";
import { coreSettingsOf } from "./settings.js";
import type { SlackAdapter } from "./slack/app.js";
import { createLazyTeamsAdapter } from "./teams/lazy.js";

export { createReminderPassFor };

export interface AppContext {
  config: Config;
  /** The real clock: the outbox's claims, leases, backoff and give-up. `core.clock` is what planning reads. */
  clock: Clock;
  database: Database;
  repositories: Repositories;
  core: CoreDeps;
  /** The chat platforms the bot speaks on; the adapters add themselves. */
  channels: ChatChannel[];
  /** The one sender of everything owed (cards, notices, reminders). */
  dispatcher: Dispatcher;
  interaction: InteractionDeps;
  health: PlatformHealth;
  logger: Logger;
}

export interface RunningApp extends AppContext, ChatAdapters {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Who the grants made from ADMIN_USERS are recorded as made by. */
const ADMIN_USERS_GRANTOR = "ADMIN_USERS";

export interface ContextOptions {
  clock?: Clock;
  /** What planning and wording read as now (`remind --now`), not `clock`: the outbox never does, so it cannot steal what a live bot owes. */
  planningClock?: Clock;
  /** How the dispatcher waits between messages to one conversation (tests advance a clock instead). */
  sleep?: Sleep;
  /** false: nothing is sent in the background, not even right after a change (tests drain the outbox themselves). */
  dispatch?: boolean;
}

/** Opens and migrates the database, loads demo data on a fresh SQLite file, grants ADMIN_USERS. */
export async function prepareContext(config: Config, logger: Logger, options: ContextOptions = {}): Promise<AppContext> {
  const { clock = systemClock, sleep = realSleep, planningClock = clock } = options;
  const database = await openDatabase(config.DATABASE_URL);
  if (database.createdFolder) logger.info({ folder: database.createdFolder }, "created the database folder");
  try {
    await checkDatabaseConnection(database);
    const applied = await migrateIfNeeded(database);
    if (applied.length > 0) logger.info({ migrations: applied }, "applied %d migration(s)", applied.length);
    await tuneSqlite(database);
    if (database.target.provider === "sqlite" && (await loadDemoDataOnce(database, config.REMINDER_TIMEZONE, planningClock.now()))) {
      logger.info("loaded demo data: Bandaria (BN) cases");
    }
    const repositories = createPrismaRepositories(database);
    // ADMIN_USERS is the list of admins it grants: someone taken off it is no longer admin.
    for (const identityKey of config.ADMIN_USERS) {
      await repositories.people.grant(identityKey, { role: "admin" }, ADMIN_USERS_GRANTOR);
    }
    const revoked = await repositories.people.revokeGrantedBy(ADMIN_USERS_GRANTOR, config.ADMIN_USERS);
    if (revoked.length > 0) logger.warn({ identities: revoked }, "admin revoked: no longer in ADMIN_USERS");
    const settings = coreSettingsOf(config, clock);
    const core: CoreDeps = { ...repositories, clock: planningClock, timeZone: config.REMINDER_TIMEZONE, ...settings };
    const channels: ChatChannel[] = [];
    const dispatcher = createDispatcher({ core, clock, channels, sleep, timeZone: config.REMINDER_TIMEZONE, log: logger });
    const interaction: InteractionDeps = {
      core,
      channels,
      wake: () => {
        if (options.dispatch !== false) dispatcher.wake();
      },
      report: (error, context) => logger.error({ ...context, err: errorSummary(error) }, "unexpected error"),
      warn: (context, message) => logger.warn(context, message),
      statusReport: async () => (await runDoctor({ config, database, core, conversations: repositories.conversations })).map(formatCheck),
    };
    return { config, clock, database, repositories, core, channels, dispatcher, interaction, health: new PlatformHealth(), logger };
  } catch (error) {
    await database.close();
    throw error;
  }
}

export interface StartOptions extends ContextOptions {
  /** false: no reminder schedule (tests drive passes themselves). */
  reminders?: boolean;
  /** Where Bot Framework signing keys are read; tests point it at loopback. */
  teamsOpenIdMetadataUrl?: string;
  /** true: the self-check at start and daily (what `serve` runs; tests call it themselves). */
  selfCheck?: boolean;
  /** How long one Slack Web API call may take. */
  slackTimeoutMs?: number;
  mail?: MailOptions;
}

export interface ChatAdapters {
  slack?: SlackAdapter;
  teams?: ReturnType<typeof createLazyTeamsAdapter>;
  mail?: MailBridge;
}

/**
 * Builds the Slack (when configured) and Teams adapters and registers their channels for
 * the outbox. The server mounts their routes; the CLI only sends.
 */
export async function createChatAdapters(context: AppContext, options: StartOptions = {}): Promise<ChatAdapters> {
  const { config, logger } = context;
  const mail = await mailBridgeFor(context, options.mail);
  let slack: SlackAdapter | undefined;
  if (slackEnabled(config)) {
    // Bolt is loaded only where Slack is configured.
    const { createSlackAdapter } = await import("./slack/app.js");
    slack = createSlackAdapter({
      interaction: context.interaction,
      health: context.health,
      logger,
      options: {
        signingSecret: config.SLACK_SIGNING_SECRET,
        botToken: config.SLACK_BOT_TOKEN ?? "",
        appToken: config.SLACK_APP_TOKEN,
        apiUrl: config.SLACK_API_URL,
        triageChannel: config.SLACK_TRIAGE_CHANNEL,
        contactEmail: config.MA_CONTACT_EMAIL,
        timeoutMs: options.slackTimeoutMs,
      },
    });
    context.channels.push(slack.channel);
  }
  // Teams with credentials, or in local mode (this machine only, for the Agents Playground), or not at all.
  const mode = teamsMode(config);
  if (mode === "off") return { slack, mail };
  const teams = createLazyTeamsAdapter({
    interaction: context.interaction,
    conversations: context.repositories.conversations,
    deliveries: context.repositories.deliveries,
    logger,
    options: {
      mode,
      appId: config.MICROSOFT_APP_ID,
      appPassword: config.MICROSOFT_APP_PASSWORD,
      tenantId: config.MICROSOFT_APP_TENANT_ID,
      allowedTenants: config.MICROSOFT_ALLOWED_TENANTS,
      appType: config.MICROSOFT_APP_TYPE,
      cloud: config.MICROSOFT_CLOUD,
      contactEmail: config.MA_CONTACT_EMAIL,
      openIdMetadataUrl: options.teamsOpenIdMetadataUrl,
    },
  });
  context.health.set("teams", { state: "ok" });
  context.channels.push(teams.channel);
  return { slack, teams, mail };
}

/** The whole bot: HTTP routes on one port, over one database, the outbox dispatcher and the reminder schedule. */
export async function startApp(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningApp> {
  const { server, serve, release } = await claimPort(config.PORT, listenAddress(config));
  let context: AppContext;
  let adapters: ChatAdapters;
  try {
    context = await prepareContext(config, logger, options);
    try {
      adapters = await createChatAdapters(context, options);
    } catch (error) {
      await context.database.close();
      throw error;
    }
  } catch (error) {
    await release();
    throw error;
  }
  const { slack, teams, mail } = adapters;
  const app = express();
  app.disable("x-powered-by");
  app.use(healthRoutes(context.database, context.health));
  // Last: every route's errors and unknown paths answer {"error": "..."}, never Express's HTML stack trace.
  app.use(jsonNotFound, jsonErrors(logger.child({ component: "http" })));
  // Slack's events and Teams' activities are answered ahead of Express (see their routes).
  const withTeams = teams ? teams.route(app) : app;
  serve(slack?.route ? slack.route(withTeams) : withTeams);
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  // Everything that talks to a platform starts after the port is ours, and in the background.
  slack?.start();
  if (options.dispatch !== false) context.dispatcher.start(DISPATCH_INTERVAL_MS);
  if (mail && options.mail?.polling !== false) mail.startPolling(config.MAIL_POLL_SECONDS);
  const checkSelf = () =>
    selfCheck({ ...context, conversations: context.repositories.conversations, wake: context.interaction.wake }).catch((error) =>
      logger.warn({ err: errorSummary(error) }, "self-check failed"),
    );
  const selfChecks = options.selfCheck ? setInterval(() => void checkSelf(), SELF_CHECK_INTERVAL_MS) : undefined;
  selfChecks?.unref();
  if (selfChecks) void checkSelf();
  const pass = createReminderPassFor(context);
  const scheduler =
    options.reminders === false
      ? undefined
      : startReminderScheduler({
          expression: config.REMINDER_CRON,
          timeZone: config.REMINDER_TIMEZONE,
          runPass: () => pass(context.core.clock.now()),
          log: logger,
        });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(selfChecks);
      await scheduler?.stop();
      await mail?.stop();
      await context.dispatcher.stop();
      await slack?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await context.database.close();
    })();
    return closing;
  };
  return { ...context, server, slack, teams, mail, port, close };
}
