import type { Activity } from "botbuilder";
import type { Cloud } from "./clouds.js";
import { isLoopbackAddress } from "./loopback-guard.js";

/** The user the Microsoft 365 Agents Playground signs in as (its default "Alex Wilber"). */
export const PLAYGROUND_USER = "00000000-0000-0000-0000-0000000000020";

export interface ActivityPolicy {
  mode: "bot-framework" | "local";
  cloud: Cloud;
  /** A SingleTenant app's tenant. */
  tenantId?: string;
  /** The tenants a MultiTenant app serves. */
  allowedTenants: string[];
}

/** Where each cloud's Bot Connector lives: proactive sends go nowhere else. */
const CONNECTOR_HOSTS: Record<Cloud, string[]> = {
  public: ["smba.trafficmanager.net", "smba.infra.gcc.teams.microsoft.com", ".botframework.com"],
  usgov: ["smba.infra.gov.teams.microsoft.us", ".botframework.azure.us"],
  "usgov-dod": ["smba.infra.dod.teams.microsoft.us", ".botframework.azure.us"],
};

function serviceUrlAllowed(policy: ActivityPolicy, serviceUrl: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(serviceUrl ?? "");
  } catch {
    return false;
  }
  // The Playground mocks the connector on this machine; nothing else is local.
  if (policy.mode === "local") return isLoopbackAddress(url.hostname.replace(/^\[|\]$/g, "")) || url.hostname === "localhost";
  const host = url.hostname.toLowerCase();
  return (
    url.protocol === "https:" &&
    CONNECTOR_HOSTS[policy.cloud].some((allowed) => (allowed.startsWith(".") ? host.endsWith(allowed) : host === allowed))
  );
}

export function tenantOf(activity: Partial<Activity>): string | undefined {
  return activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
}

/**
 * Why an activity may not be handled, or undefined when it may. Only Teams counts as
 * Teams (a Direct Line or Web Chat client could name any user id), only with an AAD
 * object id, only from the tenants configured, and only with a Bot Connector address of
 * the configured cloud: a forged serviceUrl would receive our answers. Answers go only
 * through the connector, never back in the HTTP response (`expectReplies`).
 */
export function refusalOf(policy: ActivityPolicy, activity: Partial<Activity>): string | undefined {
  // botbuilder would put every answer of the turn (a case card, CUI) in the HTTP response
  // instead of sending it through the Bot Connector: no connector address would be needed
  // to read it. Teams never asks for it.
  if (activity.deliveryMode === "expectReplies") return "expectReplies is not supported";
  if (activity.channelId !== "msteams") return "not a Microsoft Teams activity";
  const aad = activity.from?.aadObjectId;
  if (!aad) return "no Azure AD user";
  if (policy.mode === "bot-framework") {
    if (aad === PLAYGROUND_USER) return "the Playground user is honoured in local mode only";
    const tenant = tenantOf(activity);
    const tenants = policy.tenantId ? [policy.tenantId] : policy.allowedTenants;
    if (!tenant || !tenants.includes(tenant)) return "tenant not allowed";
  }
  if (!serviceUrlAllowed(policy, activity.serviceUrl)) return "Bot Connector address not allowed";
  return undefined;
}
