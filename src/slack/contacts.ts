import { platformZone } from "../chat/profile.js";
import type { IdentityInfo, PeopleDirectory } from "../core/ports.js";
import type { Logger } from "../logger.js";
import { classifySlackError } from "./outbound.js";
import type { SlackApi } from "./web-api.js";

/** A Slack profile read is trusted this long: a move or a new address shows within a week. */
export const PROFILE_TTL_MS = 7 * 24 * 60 * 60_000;
/** After a failed read, the person is not asked about again for this long (one log line, not one per click). */
const FAILED_RETRY_MS = 60 * 60_000;
/** A bound on remembered failures, so a flood of users cannot grow memory. */
const FAILED_LIMIT = 5_000;

/**
 * Reads each Slack user's profile (users.info: `tz`, `profile.email`) at most once a week and
 * stores it on the person: their zone for the dates they are shown, and their verified address,
 * which links the `email:` identity they may have written from. Called after the ack, never
 * before it; a Slack fault is one log line and the person's dates stay in REMINDER_TIMEZONE.
 */
export interface SlackContacts {
  refresh(identity: IdentityInfo, userId: string): Promise<void>;
}

interface SlackUser {
  tz?: string;
  is_bot?: boolean;
  profile?: { email?: string };
}

export function createSlackContacts(deps: { api: SlackApi; people: PeopleDirectory; clock: { now(): Date }; log: Logger }): SlackContacts {
  const running = new Map<string, Promise<void>>();
  const failedUntil = new Map<string, number>();

  async function read(identity: IdentityInfo, userId: string): Promise<void> {
    const identityKey = identity.key;
    const now = deps.clock.now();
    if ((failedUntil.get(identityKey) ?? 0) > Date.now()) return;
    try {
      // A first contact: the person is made here, so their profile has somewhere to go.
      await deps.people.resolve(identity);
      const checked = await deps.people.contactCheckedAt(identityKey);
      if (checked && now.getTime() - checked.getTime() < PROFILE_TTL_MS) return;
      const answer = await deps.api.call("users.info", { user: userId });
      const user = (answer.user ?? {}) as SlackUser;
      const { linked } = await deps.people.recordContact(identityKey, {
        timeZone: platformZone(user.tz),
        // Slack verifies a member's address; a bot user has none worth linking.
        verifiedEmail: user.is_bot ? undefined : user.profile?.email,
        checkedAt: now,
      });
      if (linked) deps.log.info({ identity: identityKey }, "linked the person's mail identity to their Slack user (same verified address)");
    } catch (error) {
      if (failedUntil.size >= FAILED_LIMIT) failedUntil.clear();
      failedUntil.set(identityKey, Date.now() + FAILED_RETRY_MS);
      deps.log.warn(
        { identity: identityKey, failure: classifySlackError(error) },
        "Slack profile (users.info) not read; this person's dates stay in REMINDER_TIMEZONE",
      );
    }
  }

  return {
    refresh(identity, userId) {
      // Two clicks at once read the profile once.
      const pending = running.get(identity.key);
      if (pending) return pending;
      const work = read(identity, userId).finally(() => running.delete(identity.key));
      running.set(identity.key, work);
      return work;
    },
  };
}
