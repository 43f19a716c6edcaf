import type { Server } from "node:http";
import express from "express";
import type { AnnounceDeps } from "./chat/announce.js";
import { type Config, slackEnabled } from "./config.js";
import { type Clock, realSleep, type Sleep, systemClock } from "./core/clock.js";
import type { CoreDeps } from "./core/deps.js";
import { type Database, openDatabase, tuneSqlite } from "./db/client.js";
import { loadDemoDataOnce } from "./db/demo-data.js";
import { migrateIfNeeded } from "./db/migrate.js";
import { createPrismaRepositories, type Repositories } from "./db/repositories/index.js";
import { healthRoutes } from "./http/health.js";
import { errorSummary, type Logger } from "./logger.js";
import { createReminderPass } from "./reminders/pass.js";
import { startReminderScheduler } from "./reminders/scheduler.js";
import { createSlackAdapter, type SlackAdapter } from "./slack/app.js";
import { createTeamsAdapter, type TeamsAdapterHandle } from "./teams/app.js";

export interface AppContext {
  config: Config;
  database: Database;
  repositories: Repositories;
  core: CoreDeps;
  /** What both chat adapters share to tell people and post cards. */
  announce: AnnounceDeps;
  logger: Logger;
}

export interface RunningApp extends AppContext {
  server: Server;
  slack?: SlackAdapter;
  teams: TeamsAdapterHandle;
  port: number;
  close(): Promise<void>;
}

/** Opens and migrates the database, loads demo data on a fresh SQLite file, grants ADMIN_USERS. */
export async function prepareContext(config: Config, logger: Logger, clock: Clock = systemClock): Promise<AppContext> {
  const database = openDatabase(config.DATABASE_URL);
  try {
    const applied = await migrateIfNeeded(database);
    if (applied.length > 0) logger.info({ migrations: applied }, "applied %d migration(s)", applied.length);
    await tuneSqlite(database);
    if (database.target.provider === "sqlite" && (await loadDemoDataOnce(database, config.REMINDER_TIMEZONE, clock.now()))) {
      logger.info("loaded demo data: Bandaria (BN) cases");
    }
    const repositories = createPrismaRepositories(database);
    for (const identityKey of config.ADMIN_USERS) {
      await repositories.people.grant(identityKey, { role: "admin" }, "ADMIN_USERS");
    }
    const core: CoreDeps = {
      requests: repositories.requests,
      cases: repositories.cases,
      people: repositories.people,
      subscriptions: repositories.subscriptions,
      settings: repositories.settings,
      clock,
      timeZone: config.REMINDER_TIMEZONE,
    };
    const announce: AnnounceDeps = {
      core,
      triageCards: repositories.triageCards,
      channels: [],
      onError: (error, context) => logger.warn({ ...context, err: errorSummary(error) }, "chat announcement failed"),
    };
    return { config, database, repositories, core, announce, logger };
  } catch (error) {
    await database.close();
    throw error;
  }
}

export interface StartOptions {
  clock?: Clock;
  /** false: no reminder schedule (tests drive passes themselves). */
  reminders?: boolean;
  /** Where Bot Framework signing keys are read; tests point it at loopback. */
  teamsOpenIdMetadataUrl?: string;
}

export interface ChatAdapters {
  slack?: SlackAdapter;
  teams: TeamsAdapterHandle;
}

/**
 * Builds the Slack (when configured) and Teams adapters and registers their channels for
 * announcements and reminders. The server mounts their routes; the CLI only sends.
 */
export function createChatAdapters(context: AppContext, options: StartOptions = {}): ChatAdapters {
  const { config, logger } = context;
  let slack: SlackAdapter | undefined;
  if (slackEnabled(config)) {
    slack = createSlackAdapter({
      core: context.core,
      outbox: context.repositories.outbox,
      announce: context.announce,
      logger,
      options: {
        signingSecret: config.SLACK_SIGNING_SECRET,
        botToken: config.SLACK_BOT_TOKEN ?? "",
        appToken: config.SLACK_APP_TOKEN,
        apiUrl: config.SLACK_API_URL,
        triageChannel: config.SLACK_TRIAGE_CHANNEL,
        contactEmail: config.MA_CONTACT_EMAIL,
      },
    });
    context.announce.channels.push(slack.channel);
  }
  // Teams is always served: with no app id, only loopback callers (the Agents Playground).
  const teams = createTeamsAdapter({
    core: context.core,
    outbox: context.repositories.outbox,
    announce: context.announce,
    conversations: context.repositories.conversations,
    deliveries: context.repositories.deliveries,
    logger,
    options: {
      appId: config.MICROSOFT_APP_ID,
      appPassword: config.MICROSOFT_APP_PASSWORD,
      tenantId: config.MICROSOFT_APP_TENANT_ID,
      appType: config.MICROSOFT_APP_TYPE,
      cloud: config.MICROSOFT_CLOUD,
      contactEmail: config.MA_CONTACT_EMAIL,
      openIdMetadataUrl: options.teamsOpenIdMetadataUrl,
    },
  });
  context.announce.channels.push(teams.channel);
  return { slack, teams };
}

/** The reminder pass over this context's database and chat channels. */
export function createReminderPassFor(context: AppContext, sleep: Sleep = realSleep) {
  return createReminderPass({
    prisma: context.database.prisma,
    outbox: context.repositories.outbox,
    settings: context.repositories.settings,
    requests: context.repositories.requests,
    channels: context.announce.channels,
    clock: context.core.clock,
    sleep,
    offsets: context.config.REMINDER_OFFSETS_DAYS,
    timeZone: context.config.REMINDER_TIMEZONE,
    log: context.logger,
  });
}

/** The whole bot: HTTP routes on one port, over one database, and the reminder schedule. */
export async function startApp(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningApp> {
  const clock = options.clock ?? systemClock;
  const context = await prepareContext(config, logger, clock);
  const app = express();
  app.disable("x-powered-by");
  app.use(healthRoutes(context.database));
  const { slack, teams } = createChatAdapters(context, options);
  if (slack?.router) app.use(slack.router);
  app.use(teams.router);

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.PORT, "0.0.0.0", () => resolve(listening));
    listening.once("error", reject);
  }).catch(async (error) => {
    await context.database.close();
    throw error;
  });
  await slack?.start();
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  const pass = createReminderPassFor(context);
  const scheduler =
    options.reminders === false
      ? undefined
      : startReminderScheduler({
          expression: config.REMINDER_CRON,
          timeZone: config.REMINDER_TIMEZONE,
          runPass: () => pass(clock.now()),
          log: logger,
        });

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await scheduler?.stop();
      await slack?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await context.database.close();
    })();
    return closing;
  };
  return { ...context, server, slack, teams, port, close };
}
