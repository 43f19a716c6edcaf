import type { Clock } from "../core/clock.js";
import type { MailStore } from "./store.js";

/**
 * Each sender's new requests in the last hour, read once a minute per sender and counted on
 * as the pass records more (one reader holds the lease, so nobody else adds to them): a
 * statement fewer for each further mail from the same sender. Read again after a minute so
 * the hour's window moves on in a long pass; meanwhile it can only count a request too many.
 */
export function senderRequests(clock: Clock, store: Pick<MailStore, "countFrom">) {
  const known = new Map<string, { count: number; until: number }>();
  return {
    async inLastHour(from: string): Promise<number> {
      const now = clock.now().getTime();
      const hit = known.get(from);
      if (hit && hit.until > now) return hit.count;
      const count = await store.countFrom(from, "request", new Date(now - 60 * 60_000));
      known.set(from, { count, until: now + 60_000 });
      return count;
    },
    recorded(from: string) {
      const hit = known.get(from);
      if (hit) hit.count++;
    },
  };
}

export type SenderRequests = ReturnType<typeof senderRequests>;
