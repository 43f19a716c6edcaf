import { type Config, teamsMode } from "../config.js";
import { parseDatabaseUrl } from "../db/database-url.js";
import { prefetchQueryCompiler } from "../db/query-compiler.js";
import { createLogger, errorSummary } from "../logger.js";
import { PLAYGROUND_USER } from "../teams/activity-policy.js";
import { loadApp, say } from "./shared.js";

/** `serve` (what `npm start` runs): the bot until SIGINT or SIGTERM. */
export async function serve(config: Config): Promise<void> {
  // Prisma's query compiler is read and compiled (off the main thread) while the bot's modules load.
  const target = parseDatabaseUrl(config.DATABASE_URL);
  if (!("error" in target)) prefetchQueryCompiler(target.provider);
  const { startApp } = await loadApp();
  const logger = createLogger(config.LOG_LEVEL);
  // A last line of defence: a promise nobody awaited must not take the bot down.
  process.on("unhandledRejection", (error) => logger.error({ err: errorSummary(error) }, "unhandled rejection"));
  let app: Awaited<ReturnType<typeof startApp>>;
  try {
    app = await startApp(config, logger, { selfCheck: true });
  } catch (error) {
    if ((error as { code?: string }).code === "EADDRINUSE") {
      throw new Error(`port ${config.PORT} is already in use (PORT): stop the other process or choose another port`);
    }
    throw error;
  }
  const base = `http://localhost:${app.port}`;
  say(`Mission Assist is running on ${base} (database: ${app.database.target.provider}).`);
  say(`  health:    ${base}/healthz   readiness: ${base}/readyz`);
  say(app.slack ? `  Slack:     ${base}/slack/events` : "  Slack:     off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET; see README)");
  const teams = teamsMode(config);
  if (teams === "bot-framework") {
    say(`  Teams:     ${base}/api/messages (Bot Framework tokens verified; Microsoft cloud: ${config.MICROSOFT_CLOUD})`);
  } else if (teams === "local") {
    say(`  Teams:     ${base}/api/messages — LOCAL MODE: no credentials, this machine only, never through a proxy`);
    if (app.slack) {
      // Slack must reach this port, so it is not bound to loopback: the guard alone keeps local Teams local.
      say("             (with Slack on the same port: anything on this machine that forwards the port exposes it; see README)");
    }
    say("  Try it now: in another terminal run `npm run playground`, then open http://localhost:56150");
    // Demo cases are loaded into a fresh SQLite file only.
    const demo = app.database.target.provider === "sqlite" ? " (`case BN-D-YAB`)" : "";
    say(`             and type \`help\` or \`new\`. To see cases${demo} and triage, first make the Playground's`);
    say("             user faculty and admin (then, in a channel, @mention the bot and type `triage-here`):");
    say(`             npm run cli -- roles grant teams:${PLAYGROUND_USER} faculty`);
    say(`             npm run cli -- roles grant teams:${PLAYGROUND_USER} admin`);
  } else {
    say("  Teams:     off (set MICROSOFT_APP_ID and its secret, or TEAMS_LOCAL=1 to try it with the Agents Playground)");
  }
  const stop = async (signal: string) => {
    logger.info({ signal }, "stopping");
    await app.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}
