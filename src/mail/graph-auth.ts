import { ConfidentialClientApplication, LogLevel } from "@azure/msal-node";
import type { GraphHosts } from "./graph-hosts.js";

export interface GraphCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

/** Sign-in refused or unreachable: the message names the variable to fix, never a secret. */
export class GraphSignInError extends Error {
  constructor(
    /** What happened, without the advice. */
    readonly detail: string,
    /** The variable the operator should look at. */
    readonly setting: string,
    /** What to change. */
    readonly fix: string,
  ) {
    super(`${detail}: ${fix}`);
  }
}

/** Which variable Entra's refusal points at, by its AADSTS code (its description quotes ids and trace ids: not logged). */
function refusedSetting(code: string, description: string): { setting: string; fix: string } {
  if (/AADSTS700016|unauthorized_client/.test(`${code} ${description}`)) {
    return { setting: "GRAPH_CLIENT_ID", fix: "copy the Application (client) ID from the app registration" };
  }
  if (/AADSTS90002|AADSTS900023|AADSTS90013/.test(description)) {
    return { setting: "GRAPH_TENANT_ID", fix: "copy the Directory (tenant) ID from the app registration" };
  }
  return {
    setting: "GRAPH_CLIENT_SECRET",
    fix: "create a new client secret under the app registration's Certificates & secrets and set GRAPH_CLIENT_SECRET",
  };
}

/**
 * App-only sign-in with MSAL (OAuth client credentials) for `${api}/.default`: the
 * application permissions an admin consented to (Mail.ReadWrite, Mail.Send). MSAL keeps the
 * token in memory and asks again shortly before it expires.
 */
export function createGraphSignIn(hosts: GraphHosts, credentials: GraphCredentials) {
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      authority: `${hosts.login}/${encodeURIComponent(credentials.tenantId)}`,
      // The configured host is trusted as it is: MSAL then skips instance discovery on the
      // public cloud's host, which a GCC High / DoD network may not reach (GRAPH_LOGIN_URL
      // names a host on purpose), and reads the tenant's OpenID metadata from the host itself.
      knownAuthorities: [new URL(hosts.login).host],
    },
    // MSAL's own log lines carry correlation ids and URLs, not wanted in ours; errors reach the caller.
    system: { loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} } },
  });
  const scope = `${hosts.api}/.default`;
  return {
    /** A bearer token for Graph; throws GraphSignInError naming the variable to fix. */
    async token(): Promise<string> {
      try {
        const result = await app.acquireTokenByClientCredential({ scopes: [scope] });
        if (!result?.accessToken) throw new Error("no token in the answer");
        return result.accessToken;
      } catch (error) {
        throw signInError(error, hosts.login);
      }
    },
  };
}

function signInError(error: unknown, login: string): GraphSignInError {
  const { errorCode = "", errorMessage = "" } = error as { errorCode?: string; errorMessage?: string };
  const aadsts = /AADSTS\d+/.exec(errorMessage)?.[0];
  // An answer from Entra (invalid_client, unauthorized_client, invalid_request …) names the credential at fault.
  if (aadsts || /^(invalid_client|unauthorized_client|invalid_request|invalid_grant)$/.test(errorCode)) {
    const { setting, fix } = refusedSetting(errorCode, errorMessage);
    return new GraphSignInError(`${login} refused ${setting} (${errorCode}${aadsts ? `, ${aadsts}` : ""})`, setting, fix);
  }
  // No answer, or no usable one (network, TLS, the tenant's metadata): the host is at fault, not the secret.
  const reason = errorCode || (error instanceof Error ? error.message : String(error));
  return new GraphSignInError(
    `could not sign in at ${login} (${reason})`,
    "GRAPH_LOGIN_URL",
    "check MICROSOFT_CLOUD or GRAPH_LOGIN_URL, GRAPH_TENANT_ID and the network",
  );
}

/**
 * The application permissions (`roles`) in an access token, read without verifying it:
 * only to report in `doctor` what the admin consented to. Never used to decide access.
 */
export function tokenRoles(token: string): string[] {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { roles?: unknown };
    return Array.isArray(payload.roles) ? payload.roles.filter((role): role is string => typeof role === "string") : [];
  } catch {
    return [];
  }
}
