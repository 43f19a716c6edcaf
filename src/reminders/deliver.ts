import type { ChatChannel } from "../chat/announce.js";
import { type ReminderSubject, reminderView } from "../chat/present.js";
import type { Clock } from "../core/clock.js";
import { daysBetween } from "../core/dates.js";
import { INACTIVE_CASE_STATUSES } from "../core/domain.js";
import type { OutboxRow, ReminderOutbox, RequestRepository } from "../core/ports.js";
import type { Db } from "../db/client.js";
import type { Logger } from "../logger.js";
import type { ConversationPacer } from "./pacer.js";
import { reminderDay } from "./working-day.js";

export interface DeliverDeps {
  prisma: Db;
  outbox: ReminderOutbox;
  requests: RequestRepository;
  channels: ChatChannel[];
  clock: Clock;
  pacer: ConversationPacer;
  timeZone: string;
  /** This process's name in claims: `host:pid:random`. */
  worker: string;
  log: Logger;
  /** Called between sending and recording (tests simulate a crash there). */
  afterSend?: (row: OutboxRow) => Promise<void>;
}

export interface DeliverResult {
  sent: number;
  retried: number;
  failed: number;
  cancelled: number;
}

/** A claim lasts this long; a worker that dies mid-send leaves the row to be taken again after. */
export const CLAIM_LEASE_MS = 5 * 60_000;
const BATCH = 50;
/** After this many attempts a reminder is given up and shown by `remind --status`. */
const MAX_ATTEMPTS = 8;

type Resolved = { subject: ReminderSubject } | { cancel: string };

/** Re-reads what a reminder is about just before sending: completion or unsubscribing cancels it. */
async function resolveSubject(deps: DeliverDeps, row: OutboxRow): Promise<Resolved> {
  const [kind, id = ""] = row.subjectKey.split(":");
  const direct = row.conversationId.startsWith("@");
  if (kind === "milestone") {
    const milestone = await deps.prisma.milestone.findUnique({ where: { id }, include: { case: true } });
    if (!milestone || milestone.completedDate) return { cancel: "milestone completed or removed" };
    if ((INACTIVE_CASE_STATUSES as readonly string[]).includes(milestone.case.status)) return { cancel: "case closed or cancelled" };
    if (milestone.dueDate !== row.dueDate) return { cancel: "due date changed" };
    const subscribed = await deps.prisma.subscription.count({
      where: { platform: row.platform, conversationId: row.conversationId, targetType: "case", targetId: milestone.caseId },
    });
    if (subscribed === 0) return { cancel: "unsubscribed" };
    return {
      subject: {
        kind: "milestone",
        caseRecord: { id: milestone.caseId, title: milestone.case.masked ? "" : milestone.case.title },
        milestone: {
          id: milestone.id,
          type: milestone.type,
          dueDate: milestone.dueDate ?? "",
          note: milestone.case.masked ? "" : milestone.note,
        },
      },
    };
  }
  const request = await deps.requests.findById(id);
  if (request?.status !== "SCHEDULED" || request.scheduledStart !== row.dueDate)
    return { cancel: "request no longer scheduled for that day" };
  if (direct) {
    const identityKey = row.conversationId.slice(1);
    const people = [request.requester, ...(request.lead ? [request.lead] : [])];
    if (!people.some((person) => person.identityKeys.includes(identityKey))) return { cancel: "no longer the requester or lead" };
  } else {
    const subscribed = await deps.prisma.subscription.count({
      where: { platform: row.platform, conversationId: row.conversationId, targetType: "request", targetId: request.id },
    });
    if (subscribed === 0) return { cancel: "unsubscribed" };
  }
  return { subject: { kind: "request", request } };
}

async function send(channel: ChatChannel, row: OutboxRow, view: ReturnType<typeof reminderView>): Promise<void> {
  if (row.conversationId.startsWith("@")) await channel.sendDirect(row.conversationId.slice(1), view);
  else await channel.postCard(row.conversationId, view);
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

/**
 * Sends the reminders that are due, each claimed by this worker alone. A send is
 * recorded after it succeeds: a crash in between can resend that one message (after the
 * claim's lease ends), never lose it. 429s wait for Retry-After, transient failures back
 * off, and permanent ones (channel gone, bot removed) are recorded, not retried forever.
 */
export async function deliverDueReminders(deps: DeliverDeps): Promise<DeliverResult> {
  const result: DeliverResult = { sent: 0, retried: 0, failed: 0, cancelled: 0 };
  for (;;) {
    const rows = await deps.outbox.claimDue(deps.clock.now(), deps.worker, CLAIM_LEASE_MS, BATCH);
    if (rows.length === 0) return result;
    for (const row of interleaveByConversation(rows)) {
      const resolved = await resolveSubject(deps, row);
      if ("cancel" in resolved) {
        await deps.outbox.cancel(row.id, resolved.cancel);
        result.cancelled++;
        continue;
      }
      const channel = deps.channels.find((candidate) => candidate.platform === row.platform);
      if (!channel) {
        await deps.outbox.markFailed(row.id, deps.worker, `${row.platform} is not configured`);
        result.failed++;
        continue;
      }
      const today = reminderDay(deps.clock.now(), deps.timeZone);
      const view = reminderView(resolved.subject, daysBetween(today, row.dueDate), row.id, channel.commandPrefix);
      await deps.pacer.wait(`${row.platform}:${row.conversationId}`);
      try {
        await send(channel, row, view);
      } catch (error) {
        const failure = channel.classifyError(error);
        const attempts = row.attempts + 1;
        if (failure.kind === "permanent" || attempts >= MAX_ATTEMPTS) {
          const reason = failure.kind === "rateLimited" ? "rate limited" : failure.reason;
          await deps.outbox.markFailed(row.id, deps.worker, reason);
          deps.log.warn({ reminder: row.id, platform: row.platform, reason }, "reminder failed permanently");
          result.failed++;
        } else {
          const wait = failure.kind === "rateLimited" ? failure.retryAfterMs : Math.min(2 ** attempts * 1_000, 15 * 60_000);
          await deps.outbox.retryLater(
            row.id,
            deps.worker,
            new Date(deps.clock.now().getTime() + wait),
            failure.kind === "rateLimited" ? "rate limited" : failure.reason,
          );
          result.retried++;
        }
        continue;
      }
      await deps.afterSend?.(row);
      await deps.outbox.markSent(row.id, deps.worker, deps.clock.now());
      result.sent++;
    }
  }
}
