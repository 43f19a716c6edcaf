import type { webApi } from "@slack/bolt";
import { errorSummary, type Logger } from "../logger.js";
import type { PlatformHealth } from "../platform-health.js";
import { refusedTokenCode } from "./outbound.js";

const RECHECK_OK_MS = 6 * 60 * 60_000;
const MAX_RETRY_MS = 5 * 60_000;

export interface SlackIdentity {
  botId?: string;
  botUserId?: string;
  start(): void;
  stop(): void;
}

/**
 * Checks SLACK_BOT_TOKEN with auth.test in the background and keeps checking: a bad token
 * is one clear log line naming the variable, an unreachable Slack one line too, and
 * neither stops the bot. Logs only when the state changes.
 */
export function watchSlackToken(client: webApi.WebClient, health: PlatformHealth, log: Logger): SlackIdentity {
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  let last = "";
  const identity: SlackIdentity = {
    start: () => void check(),
    stop: () => clearTimeout(timer),
  };
  const again = (ms: number) => {
    timer = setTimeout(() => void check(), ms);
    timer.unref();
  };

  async function check(): Promise<void> {
    try {
      const result = await client.auth.test();
      identity.botId = result.bot_id;
      identity.botUserId = result.user_id;
      failures = 0;
      health.set("slack", { state: "ok" });
      if (last !== "ok") log.info({ team: result.team_id }, "Slack token accepted");
      last = "ok";
      again(RECHECK_OK_MS);
    } catch (error) {
      failures++;
      const code = refusedTokenCode(error);
      const refused = code !== undefined;
      const reason = refused ? `SLACK_BOT_TOKEN was refused by Slack (${code})` : "Slack API unreachable";
      health.set("slack", { state: "degraded", reason });
      if (last !== reason) {
        if (refused) log.error(`${reason}: check the Bot User OAuth Token in the Slack app's settings`);
        else log.warn({ err: errorSummary(error) }, `${reason}; the bot keeps serving and will retry`);
      }
      last = reason;
      again(Math.min(2 ** failures * 1000, MAX_RETRY_MS));
    }
  }
  return identity;
}
