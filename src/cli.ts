import { parseArgs } from "node:util";
import { exportRequests } from "./cli/export.js";
import { runImport } from "./cli/import.js";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { clockStartingAt } from "./core/clock.js";
import { formatRole, isIdentityKey, parseRole } from "./core/people/roles.js";
import { openDatabase } from "./db/client.js";
import { applyMigrations, migrateIfNeeded } from "./db/migrate.js";
import { createPrismaRepositories } from "./db/repositories/index.js";
import { knownMigrationNames } from "./db/schema-engine.js";
import { createLogger } from "./logger.js";

const USAGE = `Usage: mission-assist <command>

  serve                                     run the bot (what npm start runs)
  migrate                                   apply pending database migrations
  import cases FILE.csv [--dry-run]         upsert cases (all rows valid, or nothing changes)
  import milestones FILE.csv [--dry-run]    upsert milestones the same way
  roles grant IDENTITY ROLE                 e.g. roles grant slack:U0123ABCD faculty
  roles revoke IDENTITY ROLE
  roles list
  export requests [--format csv|json]       all requests to stdout
  remind --once [--now ISO-8601] [--dry-run]  one reminder pass, as if it were --now
  remind --status                           reminders by status, and the ones that failed

Roles: faculty, admin, case-viewer:<scope> (scope BN or BN-D).
Identities: slack:<user id>, teams:<AAD object id>.
Configuration comes from the environment (see README); DATABASE_URL picks the database.`;

class UsageError extends Error {}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Opens the configured database for one command, migrating first so commands work on a fresh file. */
async function withDatabase<T>(config: Config, run: (database: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> {
  const database = openDatabase(config.DATABASE_URL);
  try {
    await migrateIfNeeded(database);
    return await run(database);
  } finally {
    await database.close();
  }
}

/**
 * The chat adapters (Bolt, teams-ai, botbuilder) take seconds to load: only the commands
 * that talk to chat load them.
 */
const loadApp = () => import("./app.js");

/** The user the Microsoft 365 Agents Playground signs in as (its default "Alex Wilber"). */
const PLAYGROUND_USER = "00000000-0000-0000-0000-0000000000020";

async function serve(config: Config): Promise<void> {
  const { startApp } = await loadApp();
  const logger = createLogger(config.LOG_LEVEL);
  const app = await startApp(config, logger);
  const base = `http://localhost:${app.port}`;
  say(`Mission Assist is running on ${base} (database: ${app.database.target.provider}).`);
  say(`  health:    ${base}/healthz   readiness: ${base}/readyz`);
  say(app.slack ? `  Slack:     ${base}/slack/events` : "  Slack:     off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET; see README)");
  if (config.MICROSOFT_APP_ID) {
    say(`  Teams:     ${base}/api/messages (Bot Framework tokens verified)`);
  } else {
    say(`  Teams:     ${base}/api/messages (no credentials: this machine only)`);
    say("  Try it now: in another terminal run `npm run playground`, then open http://localhost:56150");
    say("             and type `help`, `new` or `case BN-D-YAB`. To triage and see cases as faculty:");
    say(`             npx mission-assist roles grant teams:${PLAYGROUND_USER} faculty`);
  }
  const stop = async (signal: string) => {
    logger.info({ signal }, "stopping");
    await app.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

async function migrate(config: Config): Promise<void> {
  const database = openDatabase(config.DATABASE_URL);
  try {
    const applied = await applyMigrations(database.target);
    const total = (await knownMigrationNames(database.target.provider)).length;
    if (applied.length === 0) say(`Database is up to date (${total} migration(s) applied before; nothing to do).`);
    else for (const name of applied) say(`applied ${name}`);
    if (applied.length > 0) say(`Applied ${applied.length} migration(s) to the ${database.target.provider} database.`);
  } finally {
    await database.close();
  }
}

async function roles(config: Config, args: string[]): Promise<number> {
  const [action, identity, roleText] = args;
  if (action === "list") {
    return withDatabase(config, async (database) => {
      const grants = await createPrismaRepositories(database).people.listGrants();
      for (const grant of grants) say(`${grant.identityKeys.join(", ")}\t${formatRole(grant.role)}\t${grant.displayName}`);
      say(`${grants.length} role grant(s).`);
      return 0;
    });
  }
  if ((action !== "grant" && action !== "revoke") || !identity || !roleText)
    throw new UsageError("roles grant|revoke IDENTITY ROLE, or roles list");
  if (!isIdentityKey(identity)) throw new UsageError(`identity "${identity}" must look like slack:U0123ABCD or teams:<AAD object id>`);
  const role = parseRole(roleText);
  if ("error" in role) throw new UsageError(role.error);
  return withDatabase(config, async (database) => {
    const people = createPrismaRepositories(database).people;
    if (action === "grant") {
      const changed = await people.grant(identity, role, "cli");
      say(changed ? `Granted ${formatRole(role)} to ${identity}.` : `${identity} already has ${formatRole(role)}; nothing changed.`);
    } else {
      const changed = await people.revoke(identity, role);
      say(changed ? `Revoked ${formatRole(role)} from ${identity}.` : `${identity} did not have ${formatRole(role)}; nothing changed.`);
    }
    return 0;
  });
}

async function remind(config: Config, values: { once?: boolean; status?: boolean; now?: string; "dry-run"?: boolean }): Promise<number> {
  if (values.status) {
    return withDatabase(config, async (database) => {
      const outbox = createPrismaRepositories(database).outbox;
      const counts = await outbox.statusCounts();
      say(
        `Reminders: ${["PENDING", "SENT", "FAILED", "CANCELLED"].map((status) => `${counts[status] ?? 0} ${status.toLowerCase()}`).join(", ")}.`,
      );
      for (const row of await outbox.listFailed(50)) {
        say(
          `  failed: ${row.subjectKey} due ${row.dueDate} (offset ${row.offsetDays}) → ${row.platform} ${row.conversationId}: ${row.lastError} after ${row.attempts} attempt(s)`,
        );
      }
      return 0;
    });
  }
  if (!values.once) throw new UsageError("remind --once [--now ISO-8601] [--dry-run], or remind --status");
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now "${values.now}" is not an ISO-8601 time, e.g. 2026-03-02T13:00:00Z`);
  const { createChatAdapters, createReminderPassFor, prepareContext } = await loadApp();
  const context = await prepareContext(config, createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL), clockStartingAt(now));
  try {
    createChatAdapters(context);
    const summary = await createReminderPassFor(context)(now, { dryRun: values["dry-run"] });
    const { plan } = summary;
    say(
      `Reminder pass as of ${now.toISOString()} (days ${plan.window.sinceDay} exclusive to ${plan.window.untilDay}, ${config.REMINDER_TIMEZONE}):`,
    );
    for (const item of plan.candidates)
      say(`  ${item.subjectKey} due ${item.dueDate} (offset ${item.offsetDays}) → ${item.platform} ${item.conversationId}`);
    if (values["dry-run"]) {
      say(`Dry run: ${plan.candidates.length} reminder(s) came due; nothing stored or sent.`);
    } else {
      const delivery = summary.delivery;
      say(
        `Planned ${plan.stored} new of ${plan.candidates.length}; sent ${delivery?.sent ?? 0}, retry later ${delivery?.retried ?? 0}, failed ${delivery?.failed ?? 0}, cancelled ${delivery?.cancelled ?? 0} (${summary.tookMs} ms).`,
      );
    }
    return 0;
  } finally {
    await context.database.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "dry-run": { type: "boolean", default: false },
      format: { type: "string", default: "csv" },
      help: { type: "boolean", short: "h", default: false },
      once: { type: "boolean", default: false },
      status: { type: "boolean", default: false },
      now: { type: "string" },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command || command === "help") {
    say(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig();
  switch (command) {
    case "serve":
      await serve(config);
      return -1;
    case "migrate":
      await migrate(config);
      return 0;
    case "import": {
      const [kind, file] = rest;
      if ((kind !== "cases" && kind !== "milestones") || !file) throw new UsageError("import cases|milestones FILE.csv [--dry-run]");
      const outcome = await withDatabase(config, (database) => runImport(database, kind, file, values["dry-run"] ?? false));
      for (const line of outcome.lines) (outcome.ok ? process.stdout : process.stderr).write(`${line}\n`);
      return outcome.ok ? 0 : 1;
    }
    case "roles":
      return roles(config, rest);
    case "export": {
      const format = values.format;
      if (rest[0] !== "requests" || (format !== "csv" && format !== "json")) throw new UsageError("export requests [--format csv|json]");
      const { text, count } = await withDatabase(config, (database) => exportRequests(createPrismaRepositories(database).requests, format));
      process.stdout.write(text);
      process.stderr.write(`Exported ${count} request(s).\n`);
      return 0;
    }
    case "remind":
      return remind(config, values);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

try {
  const code = await main(process.argv.slice(2));
  // serve keeps running until a signal; every other command exits with its status.
  if (code >= 0) process.exit(code);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else if (error instanceof UsageError) {
    process.stderr.write(`mission-assist: ${error.message}\nRun \`mission-assist help\` for the commands.\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`mission-assist: ${message}\n`);
  }
  process.exit(error instanceof UsageError ? 2 : 1);
}
