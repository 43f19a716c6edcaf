import { type Config, slackEnabled } from "../config.js";
import { getTriageChannel } from "../core/triage/triage-channel.js";
import { createPrismaRepositories } from "../db/repositories/index.js";
import { type Check, configurationCheck, databaseCheck, formatCheck, reminderChecks } from "../doctor/checks.js";
import { say, withDatabase } from "./shared.js";

/** Network checks give up after this: the doctor never hangs on a silent host. */
const NETWORK_TIMEOUT_MS = 5_000;

/** `doctor`: one ✓/✗ line per check, printed as each ends; exit 0 only when all pass. */
export async function doctor(config: Config): Promise<number> {
  const results: Check[] = [];
  const report = (checks: Check[]) => {
    for (const check of checks) {
      results.push(check);
      say(formatCheck(check));
    }
  };
  report([configurationCheck(config)]);
  await withDatabase(config, async (database) => {
    const reachable = await databaseCheck(database);
    report([reachable]);
    if (!reachable.ok) return;
    const repositories = createPrismaRepositories(database);
    if (slackEnabled(config)) {
      const { slackChecks } = await import("../slack/doctor.js");
      const triageChannel = await getTriageChannel(repositories, "slack", config.SLACK_TRIAGE_CHANNEL);
      report(
        await slackChecks({
          botToken: config.SLACK_BOT_TOKEN ?? "",
          apiUrl: config.SLACK_API_URL,
          triageChannel,
          timeoutMs: NETWORK_TIMEOUT_MS,
        }),
      );
    }
    report(await reminderChecks(config, repositories.outbox, new Date()));
  });
  const failed = results.filter((check) => !check.ok).length;
  say(failed === 0 ? `All ${results.length} checks passed.` : `${failed} of ${results.length} checks failed.`);
  return failed === 0 ? 0 : 1;
}
