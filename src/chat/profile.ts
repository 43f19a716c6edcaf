import { isValidTimeZone } from "../core/dates.js";

/** What the chat platforms say about a person, as both adapters read it. */

/** An IANA zone a platform sent (Slack `tz`, Teams `localTimezone`), or undefined when it is none. */
export function platformZone(zone: unknown): string | undefined {
  return typeof zone === "string" && isValidTimeZone(zone) ? zone : undefined;
}

/** A profile read (Slack users.info, the Teams roster) may hold an answer back this long at most. */
export const PROFILE_WAIT_MS = 1_500;

/**
 * Waits for a platform profile read, but no longer than PROFILE_WAIT_MS: past it, the
 * answer goes out with what is stored (the configured zone) and the read finishes behind it.
 */
export async function awaitProfile(read: Promise<void>, ms = PROFILE_WAIT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([read, waited]);
  clearTimeout(timer);
}
