import { type Check, fail, pass } from "../doctor/checks.js";
import { BOT_SCOPES } from "./ids.js";
import { createWebClient, refusedTokenCode } from "./outbound.js";

const DNS_FAILURES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME"]);
const TIMEOUTS = new Set(["TimeoutError", "AbortError", "ETIMEDOUT", "ECONNABORTED", "UND_ERR_CONNECT_TIMEOUT"]);

/** The first system error code or error name along an error's causes (fetch nests them). */
function faultCodes(error: unknown): string[] {
  const codes: string[] = [];
  const visit = (value: unknown, depth: number) => {
    if (!value || typeof value !== "object" || depth > 5) return;
    const fault = value as { code?: unknown; name?: unknown; cause?: unknown; original?: unknown; errors?: unknown };
    if (typeof fault.code === "string") codes.push(fault.code);
    if (typeof fault.name === "string") codes.push(fault.name);
    visit(fault.original, depth + 1);
    visit(fault.cause, depth + 1);
    if (Array.isArray(fault.errors)) for (const inner of fault.errors) visit(inner, depth + 1);
  };
  visit(error, 0);
  return codes;
}

/** Why the Slack API could not be asked: a name that does not resolve is not a slow host. */
function unreachable(error: unknown, options: { apiUrl: string; timeoutMs: number }): string {
  const codes = faultCodes(error);
  const dns = codes.find((code) => DNS_FAILURES.has(code));
  if (dns) return `the host of SLACK_API_URL (${new URL(options.apiUrl).hostname}) was not found by DNS (${dns})`;
  if (codes.includes("ECONNREFUSED")) return `nothing answers at ${options.apiUrl} (connection refused)`;
  if (codes.some((code) => TIMEOUTS.has(code)))
    return `the Slack API at ${options.apiUrl} did not answer within ${options.timeoutMs / 1000} s`;
  const detail = codes.find((code) => code !== "slack_webapi_request_error" && !code.endsWith("Error")) ?? "no answer";
  return `the Slack API at ${options.apiUrl} could not be reached (${detail})`;
}

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
    return [fail("Slack token", unreachable(error, options), "check SLACK_API_URL and the network")];
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
