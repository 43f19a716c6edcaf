import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config.js";
import { isAppError } from "../core/errors.js";
import { BadValueError, say, UsageError, withDatabase } from "./shared.js";

// Each command's module is loaded when that command runs: `serve` (the long-lived process)
// then holds none of the others' libraries (CSV, audit export, the mailbox pass, ...).
const commands = {
  audit: () => import("./audit.js"),
  doctor: () => import("./doctor.js"),
  export: () => import("./export.js"),
  import: () => import("./import.js"),
  mail: () => import("./mail.js"),
  migrate: () => import("./migrate.js"),
  outbox: () => import("./outbox.js"),
  purge: () => import("./purge.js"),
  remind: () => import("./remind.js"),
  report: () => import("./report.js"),
  roles: () => import("./roles.js"),
  serve: () => import("./serve.js"),
};

const USAGE = `Usage: mission-assist <command>

  serve                                     run the bot (what npm start runs)
  migrate                                   apply pending database migrations
  import cases FILE.csv [--dry-run]         upsert cases (all rows valid, or nothing changes)
  import milestones FILE.csv [--dry-run]    upsert milestones the same way
  roles grant IDENTITY ROLE                 e.g. roles grant slack:U0123ABCD faculty
  roles revoke IDENTITY ROLE
  roles list
  export requests [--format csv|json]       all requests to stdout
  export audit [--from DATE] [--to DATE]    the audit trail as hash-chained JSON lines to stdout (DATE: UTC day or ISO time)
  verify-audit FILE | --database            check an exported trail, or the chain in the database: exit 0 intact, 1 naming the first break
  purge [--dry-run]                         delete closed requests older than RETENTION_YEARS (never those on hold)
  remind --once [--now ISO-8601] [--dry-run]  one reminder pass, as if it were --now
  outbox --status                           owed messages by state, and the ones that failed (also: remind --status)
  report [--from DAY] [--to DAY] [--format text|csv|json]  service report (default: the last 30 days)
  mail --once                               one pass over the mailbox: requests made, replies matched, held, ignored
  doctor                                    one ✓/✗ line per check: configuration, database, Slack, Teams, mailbox, reminders
  --version, --help, <command> --help

Roles: faculty, admin, case-viewer:<scope> (scope BN or BN-D).
Identities: slack:<user id>, teams:<AAD object id>.
Configuration comes from the environment (see README); DATABASE_URL picks the database.`;

/**
 * Runs one command. Resolves to the exit status, or to -1 for `serve`, which keeps the
 * process running until a signal.
 */
/** Each command's usage lines, for `<command> --help`; `import` also lists the files' columns. */
async function usageOf(command: string, subject?: string): Promise<string | undefined> {
  const lines = USAGE.split("\n").filter(
    (line) => (line.startsWith(`  ${command} `) || line.trim() === command) && (!subject || line.startsWith(`  ${command} ${subject} `)),
  );
  if (lines.length === 0) return undefined;
  const columns =
    command === "import"
      ? `\n\n${(await commands.import()).importColumnsHelp(subject === "cases" || subject === "milestones" ? subject : undefined)}`
      : "";
  return `Usage: mission-assist\n${lines.join("\n")}${columns}`;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "dry-run": { type: "boolean", default: false },
        format: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", short: "v", default: false },
        once: { type: "boolean", default: false },
        status: { type: "boolean", default: false },
        now: { type: "string" },
        database: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    // Node's own text for a bad option is written for programmers; say it plainly.
    const option = /'([^']+)'/.exec(error instanceof Error ? error.message : "")?.[1];
    throw new UsageError(option ? `unknown or incomplete option ${option}` : "bad options");
  }
}

async function version(): Promise<string> {
  const text = await readFile(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const [command, ...rest] = positionals;
  if (values.version) {
    say(`mission-assist ${await version()}`);
    return 0;
  }
  if (values.help && command && command !== "help") {
    const usage = await usageOf(command, rest[0]);
    if (!usage) throw new UsageError(`unknown command "${command}"`);
    say(usage);
    return 0;
  }
  if (values.help || !command || command === "help") {
    say(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig();
  switch (command) {
    case "serve":
      await (await commands.serve()).serve(config);
      return -1;
    case "migrate":
      return (await commands.migrate()).migrate(config);
    case "import": {
      const [kind, file] = rest;
      if ((kind !== "cases" && kind !== "milestones") || !file) throw new UsageError("import cases|milestones FILE.csv [--dry-run]");
      const { runImport } = await commands.import();
      const outcome = await withDatabase(config, (database) => runImport(database, kind, file, values["dry-run"] ?? false));
      for (const line of outcome.lines) (outcome.ok ? process.stdout : process.stderr).write(`${line}\n`);
      return outcome.ok ? 0 : 1;
    }
    case "roles":
      return (await commands.roles()).roles(config, rest);
    case "export": {
      const format = values.format ?? "csv";
      if (rest[0] === "audit" && rest.length === 1 && values.format === undefined)
        return (await commands.audit()).exportAudit(config, values);
      if (rest[0] !== "requests") throw new UsageError("export requests [--format csv|json], or export audit [--from DATE] [--to DATE]");
      if (format !== "csv" && format !== "json")
        throw new BadValueError(`--format "${format}" is not an export format: choose csv or json`);
      const [{ exportRequests }, { createPrismaRepositories }] = await Promise.all([
        commands.export(),
        import("../db/repositories/index.js"),
      ]);
      const { text, count } = await withDatabase(config, (database) => exportRequests(createPrismaRepositories(database), format));
      process.stdout.write(text);
      process.stderr.write(`Exported ${count} request(s).\n`);
      return 0;
    }
    case "verify-audit":
      if (values.database && rest.length === 0) return (await commands.audit()).verifyAuditDatabase(config);
      if (!values.database && rest.length === 1) return (await commands.audit()).verifyAuditExport(rest[0]!);
      throw new UsageError("verify-audit FILE, or verify-audit --database");
    case "purge":
      if (rest.length > 0) throw new UsageError("purge [--dry-run]");
      return (await commands.purge()).purge(config, values["dry-run"] ?? false);
    case "doctor":
      return (await commands.doctor()).doctor(config);
    case "mail":
      if (!values.once) throw new UsageError("mail --once");
      return (await commands.mail()).mailOnce(config);
    case "report":
      return (await commands.report()).report(config, values);
    case "outbox":
      if (!values.status) throw new UsageError("outbox --status");
      return (await commands.outbox()).outboxStatus(config);
    case "remind":
      if (values.status) return (await commands.outbox()).outboxStatus(config);
      if (!values.once) throw new UsageError("remind --once [--now ISO-8601] [--dry-run], or outbox --status");
      return (await commands.remind()).remindOnce(config, values);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** The process's exit status for an error: one clear line on stderr, never a stack trace. */
export function reportFailure(error: unknown): number {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  if (error instanceof BadValueError) {
    process.stderr.write(`mission-assist: ${error.message}\n`);
    return 2;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`mission-assist: ${error.message}\nRun \`mission-assist --help\` for the commands.\n`);
    return 2;
  }
  // A coded core error says what went wrong in the user's words; anything else by its message.
  const message = isAppError(error) || error instanceof Error ? error.message : String(error);
  process.stderr.write(`mission-assist: ${message}\n`);
  return 1;
}
