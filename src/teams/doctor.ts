import type { Check } from "../doctor/checks.js";
import { fail, pass } from "../doctor/checks.js";
import { BOT_LOGIN, type Cloud } from "./clouds.js";

export interface TeamsDoctorOptions {
  appId: string;
  appPassword?: string;
  tenantId?: string;
  appType?: "MultiTenant" | "SingleTenant" | "UserAssignedMSI";
  cloud: Cloud;
  /** The triage channel's conversation id, and whether its reference is stored and live. */
  triageChannel?: string;
  triageReference: "stored" | "missing" | "removed";
  timeoutMs: number;
  /** Replaces the cloud's login host (tests point it at loopback). */
  loginHost?: string;
}

/** What the login endpoint's refusal means, as the setting to fix. */
function refusalFix(error: string, description: string): { setting: string; fix: string } {
  if (/AADSTS700016|unauthorized_client/.test(`${error} ${description}`)) {
    return { setting: "MICROSOFT_APP_ID", fix: "copy the app's Application (client) ID from its Azure registration" };
  }
  if (/AADSTS90002|AADSTS900023/.test(description)) {
    return { setting: "MICROSOFT_APP_TENANT_ID", fix: "copy the Directory (tenant) ID from the app's Azure registration" };
  }
  return {
    setting: "MICROSOFT_APP_PASSWORD",
    fix: "create a new client secret in the app's Azure registration (Certificates & secrets) and set MICROSOFT_APP_PASSWORD",
  };
}

/** A Bot Framework token for the app, asked of the configured cloud's login endpoint. */
async function tokenCheck(options: TeamsDoctorOptions): Promise<Check> {
  if (options.appType === "UserAssignedMSI") {
    return pass("Teams token", "a managed identity: Azure issues its tokens where the bot runs, so it is not checked from here");
  }
  const login = BOT_LOGIN[options.cloud];
  const host = options.loginHost ?? login.host;
  // The same rule as the adapter: a tenant id alone means a single-tenant app.
  const appType = options.appType ?? (options.tenantId ? "SingleTenant" : "MultiTenant");
  const tenant = appType === "SingleTenant" && options.tenantId ? options.tenantId : login.tenant;
  const url = `${host}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: options.appId,
        client_secret: options.appPassword ?? "",
        scope: `${login.audience}/.default`,
      }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch {
    return fail(
      "Teams token",
      `the login endpoint ${host} did not answer within ${options.timeoutMs / 1000} s`,
      "check MICROSOFT_CLOUD and the network",
    );
  }
  const body = (await response.json().catch(() => ({}))) as { access_token?: string; error?: string; error_description?: string };
  if (response.ok && body.access_token) {
    return pass("Teams token", `obtained for app ${options.appId} from ${host} (${options.cloud} cloud)`);
  }
  const error = body.error ?? `HTTP ${response.status}`;
  // Only the AADSTS code: the description can quote the app id and trace ids, never useful in a log line.
  const code = /AADSTS\d+/.exec(body.error_description ?? "")?.[0];
  const { setting, fix } = refusalFix(error, body.error_description ?? "");
  return fail("Teams token", `${host} refused ${setting} (${error}${code ? `, ${code}` : ""})`, fix);
}

function triageCheck(options: TeamsDoctorOptions): Check {
  const name = "Teams triage channel";
  if (!options.triageChannel) {
    return fail(name, "none chosen", "type `@Mission Assist triage-here` in the faculty channel");
  }
  if (options.triageReference === "removed") {
    return fail(
      name,
      `the bot was removed from ${options.triageChannel}`,
      "add the app to the team again, then type `@Mission Assist triage-here` in the channel",
    );
  }
  if (options.triageReference === "missing") {
    return fail(
      name,
      `no conversation reference is stored for ${options.triageChannel}`,
      "type `@Mission Assist triage-here` in the faculty channel so the bot can post there",
    );
  }
  return pass(name, `conversation reference stored for ${options.triageChannel}`);
}

/** Teams as the bot sees it: a token from the cloud's login endpoint, and a triage channel it can post to. */
export async function teamsChecks(options: TeamsDoctorOptions): Promise<Check[]> {
  return [await tokenCheck(options), triageCheck(options)];
}
