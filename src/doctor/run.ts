import { type Config, slackEnabled } from "../config.js";
import type { CoreDeps } from "../core/deps.js";
import { getTriageChannel } from "../core/triage/triage-channel.js";
import type { Database } from "../db/client.js";
import { type Check, configurationCheck, databaseCheck, reminderChecks } from "./checks.js";

/** Network checks give up after this: the doctor never hangs on a silent host. */
export const NETWORK_TIMEOUT_MS = 5_000;

export interface DoctorDeps {
  config: Config;
  database: Database;
  core: Pick<CoreDeps, "settings" | "outbox" | "clock">;
}

/**
 * Every check that has no side effect, in order; `report` hears each group as it ends
 * (the CLI prints them as they come). Used by `doctor`, `/ma status` and the self-check.
 */
export async function runDoctor(deps: DoctorDeps, report: (checks: Check[]) => void = () => {}): Promise<Check[]> {
  const results: Check[] = [];
  const add = (checks: Check[]) => {
    results.push(...checks);
    report(checks);
  };
  const { config, core } = deps;
  add([configurationCheck(config)]);
  const database = await databaseCheck(deps.database);
  add([database]);
  if (!database.ok) return results;
  if (slackEnabled(config)) {
    const { slackChecks } = await import("../slack/doctor.js");
    const triageChannel = await getTriageChannel(core, "slack", config.SLACK_TRIAGE_CHANNEL);
    add(
      await slackChecks({
        botToken: config.SLACK_BOT_TOKEN ?? "",
        apiUrl: config.SLACK_API_URL,
        triageChannel,
        timeoutMs: NETWORK_TIMEOUT_MS,
      }),
    );
  }
  add(await reminderChecks(config, core.outbox, core.clock.now()));
  return results;
}
