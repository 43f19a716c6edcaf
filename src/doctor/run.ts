import { type Config, slackEnabled, teamsMode } from "../config.js";
import type { CoreDeps } from "../core/deps.js";
import type { ConversationStore, SettingsStore } from "../core/ports.js";
import { getTriageChannel } from "../core/triage/triage-channel.js";
import type { Database } from "../db/client.js";
import { type Check, configurationCheck, databaseCheck, deliveryChecks, fail, pass, reminderChecks } from "./checks.js";

/** The mailbox's login and folder, and sending: one line each, naming the variable to fix. */
async function mailboxChecks(config: Config, settings: SettingsStore): Promise<Check[]> {
  const { createMailTransport } = await import("../mail/bridge.js");
  const transport = createMailTransport(config, settings);
  const where =
    transport.name === "graph"
      ? "check MICROSOFT_CLOUD (or GRAPH_API_URL, GRAPH_LOGIN_URL) and the network"
      : "check the host and port in IMAP_URL";
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Check[]>((resolve) => {
    timer = setTimeout(
      () => resolve([fail(`mailbox (${transport.name})`, `no answer within ${NETWORK_TIMEOUT_MS / 1000} s`, where)]),
      NETWORK_TIMEOUT_MS,
    );
  });
  const checked = transport
    .check()
    .then((lines) =>
      lines.map((line) =>
        line.ok
          ? pass(line.name, line.detail)
          : fail(line.name, line.detail, line.fix ?? `fix ${line.name.replace(/^.*\((\w+)\)$/, "$1")}`),
      ),
    );
  try {
    return await Promise.race([checked, timeout]);
  } finally {
    clearTimeout(timer);
    await transport.close();
  }
}

/** Network checks give up after this: the doctor never hangs on a silent host. */
export const NETWORK_TIMEOUT_MS = 5_000;

export interface DoctorDeps {
  config: Config;
  database: Database;
  core: Pick<CoreDeps, "settings" | "outbox" | "clock">;
  /** Where Teams conversation references are kept (the triage channel's is checked). */
  conversations: ConversationStore;
  /** Replaces the Microsoft login host of the configured cloud (tests point it at loopback). */
  teamsLoginHost?: string;
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
  if (teamsMode(config) === "bot-framework") {
    const { teamsChecks } = await import("../teams/doctor.js");
    const triageChannel = await getTriageChannel(core, "teams");
    const stored = triageChannel ? await deps.conversations.find("teams", triageChannel) : undefined;
    add(
      await teamsChecks({
        appId: config.MICROSOFT_APP_ID ?? "",
        appPassword: config.MICROSOFT_APP_PASSWORD,
        tenantId: config.MICROSOFT_APP_TENANT_ID,
        appType: config.MICROSOFT_APP_TYPE,
        cloud: config.MICROSOFT_CLOUD,
        triageChannel,
        triageReference: !stored ? "missing" : stored.dead ? "removed" : "stored",
        timeoutMs: NETWORK_TIMEOUT_MS,
        loginHost: deps.teamsLoginHost,
      }),
    );
  }
  if (config.MAIL_TRANSPORT) add(await mailboxChecks(config, core.settings));
  const now = core.clock.now();
  add(await reminderChecks(config, core.outbox, now));
  add(await deliveryChecks(core.outbox, now));
  return results;
}
