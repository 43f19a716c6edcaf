import { type Check, fail, pass } from "../doctor/checks.js";
import { BOT_SCOPES } from "./ids.js";
import { createWebClient, refusedTokenCode } from "./outbound.js";

/**
 * Slack as the bot sees it: the token (auth.test), the scopes the manifest asks for, and
 * membership of the triage channel. Every call gives up after `timeoutMs`.
 */
export async function slackChecks(options: {
  botToken: string;
  apiUrl: string;
  triageChannel?: string;
  timeoutMs: number;
}): Promise<Check[]> {
  const client = createWebClient(options);
  let auth: Awaited<ReturnType<typeof client.auth.test>>;
  try {
    auth = await client.auth.test();
  } catch (error) {
    const code = refusedTokenCode(error);
    if (code) {
      return [
        fail("Slack token", `Slack refused SLACK_BOT_TOKEN (${code})`, "copy the Bot User OAuth Token from the Slack app's settings"),
      ];
    }
    return [
      fail(
        "Slack token",
        `the Slack API at ${options.apiUrl} did not answer within ${options.timeoutMs / 1000} s`,
        "check SLACK_API_URL and the network",
      ),
    ];
  }
  const checks = [
    pass("Slack token", `valid for workspace ${auth.team ?? auth.team_id ?? "?"} as ${auth.user ?? auth.user_id ?? "the bot"}`),
  ];
  const granted = new Set(auth.response_metadata?.scopes ?? []);
  const missing = BOT_SCOPES.filter((scope) => !granted.has(scope));
  checks.push(
    missing.length === 0
      ? pass("Slack scopes", `granted: ${BOT_SCOPES.join(", ")}`)
      : fail("Slack scopes", `missing: ${missing.join(", ")}`, "add them in the app's OAuth & Permissions page and reinstall the app"),
  );
  if (!options.triageChannel) {
    checks.push(fail("Slack triage channel", "none chosen", "type `/ma triage-here` in the faculty channel, or set SLACK_TRIAGE_CHANNEL"));
    return checks;
  }
  try {
    const info = await client.conversations.info({ channel: options.triageChannel });
    checks.push(
      info.channel?.is_member
        ? pass("Slack triage channel", `the bot is a member of ${options.triageChannel}`)
        : fail(
            "Slack triage channel",
            `the bot is not a member of ${options.triageChannel}`,
            `type \`/invite @Mission Assist\` in <#${options.triageChannel}>`,
          ),
    );
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error ?? "no answer";
    checks.push(
      fail(
        "Slack triage channel",
        `${options.triageChannel} cannot be read (${code})`,
        "check the channel id, or choose another with `/ma triage-here`",
      ),
    );
  }
  return checks;
}
