import type { Clock, Sleep } from "../core/clock.js";
import type { OutboxRow } from "../core/ports.js";

/**
 * Keeps at least `minGapMs` between two messages to one conversation: Slack allows
 * about one message per second per channel, and Teams throttles per conversation too.
 * Time comes from the clock and waiting from `sleep`, so tests measure without waiting.
 */
export class ConversationPacer {
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly sleep: Sleep,
    private readonly minGapMs = 1_000,
  ) {}

  async wait(conversationKey: string): Promise<void> {
    const last = this.lastSent.get(conversationKey);
    if (last !== undefined) {
      const gap = this.clock.now().getTime() - last;
      if (gap < this.minGapMs) await this.sleep(this.minGapMs - gap);
    }
    this.lastSent.set(conversationKey, this.clock.now().getTime());
  }
}

/**
 * Orders a batch round-robin across conversations, so pacing one busy channel does not
 * hold up messages to the others.
 */
export function interleaveByConversation(rows: OutboxRow[]): OutboxRow[] {
  const queues = new Map<string, OutboxRow[]>();
  for (const row of rows) {
    const key = `${row.platform}:${row.conversationId}`;
    queues.set(key, [...(queues.get(key) ?? []), row]);
  }
  const ordered: OutboxRow[] = [];
  for (let round = 0; ordered.length < rows.length; round++) {
    for (const queue of queues.values()) if (queue[round]) ordered.push(queue[round]!);
  }
  return ordered;
}
