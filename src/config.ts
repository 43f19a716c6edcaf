import cron from "node-cron";
import { z } from "zod";
import { commaList, identityList, optional, perPersonLimit, wholeNumber, workingDays } from "./config-values.js";
import { isValidTimeZone } from "./core/dates.js";
import { parseDatabaseUrl } from "./db/database-url.js";

/**
 * Configuration from the environment, validated once at start. A bad value stops the
 * start with one line naming the variable; secret values never appear in messages.
 */

const ConfigSchema = z.object({
  DATABASE_URL: z
    .string()
    .default("file:./data/mission-assist.db")
    .superRefine((value, context) => {
      const parsed = parseDatabaseUrl(value);
      if ("error" in parsed) context.addIssue({ code: z.ZodIssueCode.custom, message: parsed.error });
    }),
  PORT: z
    .string()
    .default("3978")
    .refine((value) => /^\d+$/.test(value.trim()) && Number(value) >= 0 && Number(value) <= 65535, {
      message: "must be a port number from 0 to 65535",
    })
    .transform(Number),
  SLACK_SIGNING_SECRET: optional,
  SLACK_BOT_TOKEN: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_API_URL: z
    .string()
    .default("https://slack.com/api/")
    .refine((value) => /^https?:\/\//.test(value), { message: "must be an http(s) URL" })
    .transform((value) => (value.endsWith("/") ? value : `${value}/`)),
  SLACK_TRIAGE_CHANNEL: optional,
  MICROSOFT_APP_ID: optional,
  MICROSOFT_APP_PASSWORD: optional,
  MICROSOFT_APP_TENANT_ID: optional,
  MICROSOFT_APP_TYPE: z
    .enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"], {
      errorMap: () => ({ message: "must be MultiTenant, SingleTenant or UserAssignedMSI" }),
    })
    .optional(),
  /** Public (default) or the US Government clouds used by GCC High and DoD tenants. */
  MICROSOFT_CLOUD: z
    .enum(["public", "usgov", "usgov-dod"], { errorMap: () => ({ message: "must be public, usgov or usgov-dod" }) })
    .default("public"),
  /** Tenants allowed to use a MultiTenant bot (comma-separated tenant ids). */
  MICROSOFT_ALLOWED_TENANTS: commaList,
  /**
   * Teams without credentials, for the Agents Playground on this machine: 1 on, 0 off;
   * unset means on only when no chat credentials at all are configured.
   */
  TEAMS_LOCAL: z.enum(["0", "1"], { errorMap: () => ({ message: "must be 1 (on) or 0 (off)" }) }).optional(),
  ADMIN_USERS: identityList,
  REMINDER_CRON: z
    .string()
    .default("*/15 * * * *")
    .refine((value) => cron.validate(value), { message: "is not a valid cron expression" }),
  REMINDER_TIMEZONE: z
    .string()
    .default("America/New_York")
    .refine(isValidTimeZone, { message: "is not an IANA time zone (e.g. America/New_York)" }),
  REMINDER_OFFSETS_DAYS: z
    .string()
    .default("14,7,1,0,-1")
    .transform((value) => value.split(",").map((item) => item.trim()))
    .refine((items) => items.length > 0 && items.every((item) => /^-?\d{1,3}$/.test(item)), {
      message: "must be whole numbers of days separated by commas, e.g. 14,7,1,0,-1",
    })
    .transform((items) => [...new Set(items.map(Number))].sort((a, b) => b - a)),
  /** Service levels, in working days (weekends and U.S. federal holidays do not count). */
  TRIAGE_SLA_DAYS: workingDays(2),
  ANSWER_SLA_DAYS: workingDays(5),
  SCHEDULE_SLA_DAYS: workingDays(10),
  /** Working days after it closed that a delivered or declined request may be reopened. */
  REOPEN_WINDOW_DAYS: workingDays(10),
  /** Working days after delivery before the requester is asked for feedback; 0 turns surveys off. */
  SURVEY_DELAY_DAYS: wholeNumber(2, 0, 99, "a whole number of working days, 0 to turn surveys off"),
  /** When the daily digest is posted in each triage channel, in REMINDER_TIMEZONE, on working days. */
  DIGEST_TIME: z
    .string()
    .default("08:30")
    .refine((value) => /^([01]\d|2[0-3]):[0-5]\d$/.test(value), { message: "must be a time of day as HH:MM, e.g. 08:30" }),
  MA_CONTACT_EMAIL: optional.refine((value) => value === undefined || z.string().email().safeParse(value).success, {
    message: "must be an e-mail address",
  }),
  /** New requests one person may file in any hour, counted in the database (so across replicas). */
  MA_REQUESTS_PER_HOUR: perPersonLimit(10),
  /** Commands one person may type in any minute, counted by each running copy. */
  MA_COMMANDS_PER_MINUTE: perPersonLimit(60),
  /** The e-mail bridge: IMAP + SMTP, or Microsoft Graph on a Microsoft 365 shared mailbox. */
  MAIL_TRANSPORT: z
    .preprocess(
      (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
      z.enum(["imap", "graph"], { errorMap: () => ({ message: "must be imap or graph" }) }).optional(),
    )
    .optional(),
  MAIL_ADDRESS: optional.refine((value) => value === undefined || z.string().email().safeParse(value).success, {
    message: "must be an e-mail address",
  }),
  IMAP_URL: optional.refine((value) => value === undefined || /^imaps?:\/\/[^/\s]+/.test(value), {
    message: "must look like imap[s]://user:password@host:port",
  }),
  SMTP_URL: optional.refine((value) => value === undefined || /^smtps?:\/\/[^/\s]+/.test(value), {
    message: "must look like smtp[s]://user:password@host:port",
  }),
  GRAPH_TENANT_ID: optional,
  GRAPH_CLIENT_ID: optional,
  GRAPH_CLIENT_SECRET: optional,
  GRAPH_API_URL: optional.refine((value) => value === undefined || /^https:\/\//.test(value), { message: "must be an https URL" }),
  GRAPH_LOGIN_URL: optional.refine((value) => value === undefined || /^https:\/\//.test(value), { message: "must be an https URL" }),
  /** How often `serve` reads new mail. */
  MAIL_POLL_SECONDS: wholeNumber(60, 5, 3600, "a whole number of seconds from 5 to 3600"),
  /**
   * Closed requests whose closing is older than this many years may be deleted by `purge`
   * (the records officer picks the NARA schedule item). Unset: every record is kept.
   */
  RETENTION_YEARS: optional
    .refine((value) => value === undefined || (/^\d{1,3}$/.test(value.trim()) && Number(value) >= 1), {
      message: "must be a whole number of years, 1 or more (leave it unset to keep every record)",
    })
    .transform((value) => (value === undefined ? undefined : Number(value))),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      errorMap: () => ({ message: "must be one of fatal, error, warn, info, debug, trace, silent" }),
    })
    .default("info"),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

/**
 * How Teams is served: with Bot Framework credentials (tokens verified), in local mode
 * (no credentials; this machine only, for the Agents Playground), or not at all.
 */
export function teamsMode(config: Config): "bot-framework" | "local" | "off" {
  if (config.MICROSOFT_APP_ID) return "bot-framework";
  if (config.TEAMS_LOCAL !== undefined) return config.TEAMS_LOCAL === "1" ? "local" : "off";
  return slackEnabled(config) ? "off" : "local";
}

/**
 * Where the server listens. Local Teams alone (the default `npm start`, no credentials):
 * loopback only, so nothing on the network reaches the unauthenticated endpoint at all.
 * With Slack on the same port the server must be reachable by Slack, so it listens on
 * every interface and local Teams relies on its guard (loopback peer, no proxy headers,
 * a local Host and Origin on this port): see teams/loopback-guard.ts.
 */
export function listenAddress(config: Config): string {
  return teamsMode(config) === "local" && !slackEnabled(config) ? "127.0.0.1" : "0.0.0.0";
}

/** Slack is on with a bot token and either a signing secret (HTTP) or an app token (Socket Mode). */
export function slackEnabled(config: Config): boolean {
  return Boolean(config.SLACK_BOT_TOKEN && (config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN));
}

/** Parses the environment; throws ConfigError with one line naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue?.path[0] ?? "configuration");
    // The message describes the rule, never the value: secrets stay out of logs.
    throw new ConfigError(`Configuration error: ${name} ${issue?.message ?? "is invalid"}`);
  }
  const config = result.data;
  if (config.SLACK_APP_TOKEN && !config.SLACK_BOT_TOKEN) {
    throw new ConfigError("Configuration error: SLACK_BOT_TOKEN is required with SLACK_APP_TOKEN (Socket Mode)");
  }
  if (!config.SLACK_APP_TOKEN && Boolean(config.SLACK_SIGNING_SECRET) !== Boolean(config.SLACK_BOT_TOKEN)) {
    throw new ConfigError("Configuration error: SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN must be set together");
  }
  if (config.MICROSOFT_APP_ID && !config.MICROSOFT_APP_PASSWORD && config.MICROSOFT_APP_TYPE !== "UserAssignedMSI") {
    throw new ConfigError("Configuration error: MICROSOFT_APP_PASSWORD is required when MICROSOFT_APP_ID is set");
  }
  if (config.MICROSOFT_APP_TYPE === "SingleTenant" && !config.MICROSOFT_APP_TENANT_ID) {
    throw new ConfigError("Configuration error: MICROSOFT_APP_TENANT_ID is required for a SingleTenant app");
  }
  if (config.MICROSOFT_APP_ID && !config.MICROSOFT_APP_TENANT_ID && config.MICROSOFT_ALLOWED_TENANTS.length === 0) {
    throw new ConfigError(
      "Configuration error: MICROSOFT_ALLOWED_TENANTS (or MICROSOFT_APP_TENANT_ID) is required with MICROSOFT_APP_ID: list the tenants allowed to use the bot",
    );
  }
  checkMail(config);
  // Help names the mailbox people can write to.
  config.MA_CONTACT_EMAIL ??= config.MAIL_ADDRESS;
  return config;
}

/** The e-mail bridge's variables go together: one line names the first one missing. */
function checkMail(config: Config): void {
  if (!config.MAIL_TRANSPORT) return;
  const required =
    config.MAIL_TRANSPORT === "imap"
      ? (["MAIL_ADDRESS", "IMAP_URL", "SMTP_URL"] as const)
      : (["MAIL_ADDRESS", "GRAPH_TENANT_ID", "GRAPH_CLIENT_ID", "GRAPH_CLIENT_SECRET"] as const);
  const missing = required.find((name) => !config[name]);
  if (missing) throw new ConfigError(`Configuration error: ${missing} is required with MAIL_TRANSPORT=${config.MAIL_TRANSPORT}`);
}
