import type { ChatChannel } from "../chat/channel.js";
import { noticeToAdmins } from "../chat/notify-admins.js";
import type { CoreDeps } from "../core/deps.js";
import { formatCheck } from "./checks.js";
import { type DoctorDeps, runDoctor } from "./run.js";

const FAILING_KEY = "doctor:failing";
/** How often a running bot checks itself (and once at start). */
export const SELF_CHECK_INTERVAL_MS = 24 * 60 * 60_000;

export interface SelfCheckDeps extends DoctorDeps {
  core: CoreDeps;
  channels: readonly ChatChannel[];
  wake(): void;
}

/**
 * The doctor's checks, run by the bot itself. When a check turns from ✓ to ✗ (token
 * revoked, bot removed from the triage channel), every admin gets one direct message on
 * each platform the bot speaks on; a check that stays ✗ says nothing more, and one that is
 * fixed and breaks again is told again. Returns the newly failing checks.
 */
export async function selfCheck(deps: SelfCheckDeps): Promise<string[]> {
  const { core } = deps;
  const failing = (await runDoctor(deps)).filter((check) => !check.ok);
  const before = new Set<string>(JSON.parse((await core.settings.get(FAILING_KEY)) ?? "[]") as string[]);
  const fresh = failing.filter((check) => !before.has(check.name));
  if (fresh.length > 0) {
    const text = `Mission Assist self-check: something stopped working.\n${fresh.map(formatCheck).join("\n")}`;
    await noticeToAdmins(core, deps.channels, text, { subjectKey: "doctor", key: `doctor:${core.clock.now().toISOString()}` });
    deps.wake();
  }
  await core.settings.set(FAILING_KEY, JSON.stringify(failing.map((check) => check.name)));
  return fresh.map((check) => check.name);
}
