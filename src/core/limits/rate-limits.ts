import type { Clock } from "../clock.js";
import { AppError } from "../errors.js";

/**
 * Per-person limits: a flood (25 requests in under a second, 25 triage cards) is answered
 * with what to do instead, and nothing is stored or done.
 */
export interface RateLimitPolicy {
  /** New requests a person may file in any hour (MA_REQUESTS_PER_HOUR). */
  requestsPerHour: number;
  /** Commands a person may type in any minute (MA_COMMANDS_PER_MINUTE). */
  commandsPerMinute: number;
  /** Who to write to instead (MA_CONTACT_EMAIL), named in the answer. */
  contactEmail?: string;
}

export const DEFAULT_RATE_LIMITS: RateLimitPolicy = { requestsPerHour: 10, commandsPerMinute: 60 };

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

function contactOf(policy: RateLimitPolicy): string {
  return policy.contactEmail ?? "DAU's International Acquisition Center (DSMC-International)";
}

/**
 * The quota a new request is stored under: the repository counts, in the transaction
 * that would store it, the requests this person filed since `since` (the database, not
 * memory, so it holds across replicas), and stores nothing past `max`. Every door in —
 * chat, and mail senders — files through `submitRequest`, which applies it.
 */
export interface RequestQuota {
  since: Date;
  max: number;
  refusal: AppError;
}

export function requestQuota(policy: RateLimitPolicy, now: Date): RequestQuota {
  const max = policy.requestsPerHour;
  return {
    since: new Date(now.getTime() - HOUR_MS),
    max,
    // Built when a request is refused: an error (and its stack) per submission costs for nothing.
    get refusal() {
      return new AppError(
        "LIMITED",
        `You have filed ${max} request${max === 1 ? "" : "s"} in the last hour; please wait or contact ${contactOf(policy)}.`,
      );
    },
  };
}

/**
 * Commands per person per minute, counted in this process: a burst of typed commands
 * costs only reads, so a per-replica count is enough (requests, which store, are counted
 * in the database). Keyed by identity (`slack:U…`), so it is checked before any database
 * work; remembers at most `capacity` people, so a flood of identities cannot grow memory.
 */
export class CommandRate {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly policy: RateLimitPolicy,
    private readonly clock: Clock,
    private readonly capacity = 10_000,
  ) {}

  /** Counts one command; throws AppError LIMITED (counting nothing) past the limit. */
  take(identityKey: string): void {
    const now = this.clock.now().getTime();
    const times = (this.recent.get(identityKey) ?? []).filter((at) => at > now - MINUTE_MS);
    const max = this.policy.commandsPerMinute;
    if (times.length >= max) {
      this.recent.set(identityKey, times);
      throw new AppError(
        "LIMITED",
        `You have sent ${max} command${max === 1 ? "" : "s"} in the last minute; please wait a minute or contact ${contactOf(this.policy)}.`,
      );
    }
    times.push(now);
    // Re-inserted last: the map's first key is the person heard from longest ago.
    this.recent.delete(identityKey);
    this.recent.set(identityKey, times);
    if (this.recent.size > this.capacity) this.recent.delete(this.recent.keys().next().value as string);
  }
}

/** The limits a running bot applies: the policy, and this process's count of commands. */
export interface RateLimits {
  policy: RateLimitPolicy;
  commands: CommandRate;
}

export function createRateLimits(policy: RateLimitPolicy, clock: Clock): RateLimits {
  return { policy, commands: new CommandRate(policy, clock) };
}
