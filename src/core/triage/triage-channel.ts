import type { CoreDeps } from "../deps.js";
import { AppError } from "../errors.js";
import type { Actor, Platform } from "../model.js";
import { isAdmin } from "../permissions.js";

const key = (platform: Platform) => `triage-channel:${platform}`;

/** Makes a channel the faculty triage channel of its platform (admin only). */
export async function setTriageChannel(deps: CoreDeps, actor: Actor, platform: Platform, conversationId: string): Promise<void> {
  if (!isAdmin(actor)) throw new AppError("FORBIDDEN", "Only an admin can choose the triage channel.");
  await deps.settings.set(key(platform), conversationId);
}

/** The channel set with `triage-here`, else the configured default (SLACK_TRIAGE_CHANNEL). */
export async function getTriageChannel(
  deps: Pick<CoreDeps, "settings">,
  platform: Platform,
  configured?: string,
): Promise<string | undefined> {
  return (await deps.settings.get(key(platform))) ?? configured;
}
