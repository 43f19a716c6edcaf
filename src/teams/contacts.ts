import { TeamsInfo, type TurnContext } from "botbuilder";
import type { PeopleDirectory } from "../core/ports.js";
import type { Logger } from "../logger.js";
import { teamsIdentity } from "./conversations.js";

/** A roster read is trusted this long: a new address shows within a week. */
export const ROSTER_TTL_MS = 7 * 24 * 60 * 60_000;
/** After a failed read, the person is not asked about again for this long (one log line, not one per message). */
const FAILED_RETRY_MS = 60 * 60_000;
const FAILED_LIMIT = 5_000;

/**
 * Reads a Teams user's address from the conversation's roster (TeamsInfo.getMember: the
 * tenant's directory, not anything typed) at most once a week, and stores it on the person,
 * which links the `email:` identity they may have written from. Their zone comes with every
 * activity (localTimezone) and is stored through `resolve`. A fault is one log line.
 */
export interface TeamsContacts {
  refresh(context: TurnContext): Promise<void>;
}

export function createTeamsContacts(deps: { people: PeopleDirectory; clock: { now(): Date }; log: Logger }): TeamsContacts {
  const running = new Map<string, Promise<void>>();
  const failedUntil = new Map<string, number>();

  async function read(context: TurnContext): Promise<void> {
    const identity = teamsIdentity(context.activity);
    const now = deps.clock.now();
    if ((failedUntil.get(identity.key) ?? 0) > Date.now()) return;
    try {
      await deps.people.resolve(identity);
      const checked = await deps.people.contactCheckedAt(identity.key);
      if (checked && now.getTime() - checked.getTime() < ROSTER_TTL_MS) return;
      const member = await TeamsInfo.getMember(context, context.activity.from.id);
      const { linked } = await deps.people.recordContact(identity.key, {
        verifiedEmail: member.email ?? member.userPrincipalName,
        timeZone: identity.timeZone,
        checkedAt: now,
      });
      if (linked)
        deps.log.info({ identity: identity.key }, "linked the person's mail identity to their Teams user (same directory address)");
    } catch (error) {
      if (failedUntil.size >= FAILED_LIMIT) failedUntil.clear();
      failedUntil.set(identity.key, Date.now() + FAILED_RETRY_MS);
      const status = (error as { statusCode?: number }).statusCode;
      deps.log.warn({ identity: identity.key, status }, "Teams roster (getMember) not read; this person's address stays unknown");
    }
  }

  return {
    refresh(context) {
      const key = teamsIdentity(context.activity).key;
      const pending = running.get(key);
      if (pending) return pending;
      const work = read(context).finally(() => running.delete(key));
      running.set(key, work);
      return work;
    },
  };
}
