import type { Config } from "../config.js";

/** MICROSOFT_CLOUD: public, or the US Government clouds of GCC High (usgov) and DoD (usgov-dod) tenants. */
type Cloud = Config["MICROSOFT_CLOUD"];

/** Where one Microsoft cloud serves Microsoft Graph and signs apps in. */
export interface GraphHosts {
  /** Graph's root, without the version: requests go to `${api}/v1.0/...`, tokens are asked for `${api}/.default`. */
  api: string;
  /** Microsoft Entra sign-in: the authority is `${login}/${tenant}`. */
  login: string;
}

/**
 * The national clouds' endpoints (learn.microsoft.com/graph/deployments): GCC High and DoD
 * tenants share the .us sign-in, but DoD has its own Graph host.
 */
const CLOUD_HOSTS: Readonly<Record<Cloud, GraphHosts>> = {
  public: { api: "https://graph.microsoft.com", login: "https://login.microsoftonline.com" },
  usgov: { api: "https://graph.microsoft.us", login: "https://login.microsoftonline.us" },
  "usgov-dod": { api: "https://dod-graph.microsoft.us", login: "https://login.microsoftonline.us" },
};

/** MICROSOFT_CLOUD's hosts, each replaced by GRAPH_API_URL / GRAPH_LOGIN_URL when set (no trailing slash). */
export function graphHosts(cloud: Cloud, overrides: { apiUrl?: string; loginUrl?: string } = {}): GraphHosts {
  const trim = (url: string) => url.replace(/\/+$/, "");
  const hosts = CLOUD_HOSTS[cloud];
  return { api: trim(overrides.apiUrl ?? hosts.api), login: trim(overrides.loginUrl ?? hosts.login) };
}
