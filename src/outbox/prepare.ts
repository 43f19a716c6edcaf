import type { ChatChannel } from "../chat/channel.js";
import { triageCardView } from "../chat/present.js";
import { milestoneSubject, type ReminderSubject, reminderView } from "../chat/present-cases.js";
import type { MessageView } from "../chat/views.js";
import { relatedCasesNotOnFile } from "../core/cases/cases-on-file.js";
import type { Clock } from "../core/clock.js";
import { daysBetween } from "../core/dates.js";
import type { CoreDeps } from "../core/deps.js";
import { INACTIVE_CASE_STATUSES } from "../core/domain.js";
import { identityOfAddress } from "../core/people/identity.js";
import type { OutboxRow } from "../core/ports.js";
import { notesForTriageCard } from "../core/requests/add-note.js";
import { subscriberMaySee } from "../core/subscriptions/subscribe.js";
import { reminderDay } from "../reminders/working-day.js";
import { prepareInvitation, prepareSurvey } from "./prepare-feedback.js";
import { postRequesterCard, redrawRequesterCard } from "./prepare-requester.js";
import { prepareDigest, prepareNudge } from "./prepare-service.js";

/**
 * What to do with one claimed outbox row, decided just before sending from the current
 * state: a completed milestone, an unsubscribed channel or a newer card cancels it.
 */
export type Send = {
  /**
   * Sends the message; what it answers, if anything, records where the message landed, and
   * runs in the commit that marks the row sent (Outbox.markSent), so a worker that lost the
   * row records nothing.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: most sends record nothing, and answer nothing
  send(channel: ChatChannel): Promise<Recording | void>;
};
export type Recording = () => Promise<void>;
export type Plan =
  | { cancel: string }
  /** Not yet possible (a redraw before its card was posted): try again soon. */
  | { wait: string }
  | Send;

export interface PrepareDeps {
  core: CoreDeps;
  timeZone: string;
  /**
   * The real clock: claims, leases, backoff, pacing, the 24 h give-up and when a message is
   * owed follow it, never a simulated one (`remind --now` plans and words messages with the
   * core's clock). Defaults to the core's clock.
   */
  clock?: Clock;
}

/** The record a row is about: `request:<id>` or `milestone:<id>` → the id. */
export const idOf = (subjectKey: string) => subjectKey.slice(subjectKey.indexOf(":") + 1);

export async function prepare(deps: PrepareDeps, row: OutboxRow): Promise<Plan> {
  switch (row.kind) {
    case "notice":
      return toPerson(row, JSON.parse(row.body) as MessageView);
    case "requester-card":
      return postRequesterCard(deps, row);
    case "requester-redraw":
      return redrawRequesterCard(deps, row);
    case "triage-card":
      return postTriageCard(deps, row);
    case "card-redraw":
      return redrawTriageCard(deps, row);
    case "reminder":
      return prepareReminder(deps, row);
    case "nudge":
      return prepareNudge(deps.core, row);
    case "digest":
      return prepareDigest(deps.core, row);
    case "survey":
      return prepareSurvey(deps.core, row, (deps.clock ?? deps.core.clock).now());
    case "invitation":
      return prepareInvitation(deps.core, row, (deps.clock ?? deps.core.clock).now());
  }
}

function toPerson(row: OutboxRow, view: MessageView): Send {
  const identityKey = identityOfAddress(row.conversationId);
  return {
    send: (channel) =>
      identityKey
        ? channel.sendDirect(identityKey, view, { outboxId: row.id, subjectKey: row.subjectKey }).then(() => {})
        : channel.postCard(row.conversationId, view).then(() => {}),
  };
}

async function postTriageCard(deps: PrepareDeps, row: OutboxRow): Promise<Plan> {
  const { requests, triageCards } = deps.core;
  const request = await requests.findById(idOf(row.subjectKey));
  if (!request) return { cancel: "request removed" };
  // The triage channel is faculty's: its card carries the internal notes and the ids not on file.
  const faculty = { notes: await notesForTriageCard(deps.core, request), notOnFile: await relatedCasesNotOnFile(deps.core, request) };
  return {
    send: async (channel) => {
      // Drawn from the current request: a card posted late shows where it is now.
      const messageId = await channel.postCard(row.conversationId, triageCardView(request, deps.timeZone, undefined, faculty));
      const ref = { platform: row.platform, conversationId: row.conversationId, messageId, drawnVersion: request.version };
      return () => triageCards.recordPosted(request.id, ref);
    },
  };
}

async function redrawTriageCard(deps: PrepareDeps, row: OutboxRow): Promise<Plan> {
  const { requests, triageCards, outbox } = deps.core;
  const request = await requests.findById(idOf(row.subjectKey));
  if (!request) return { cancel: "request removed" };
  if (request.version > row.version && (await outbox.hasNewer(row))) return { cancel: "superseded by a newer version" };
  const card = await triageCards.find(request.id, row.platform);
  if (!card) {
    if (await outbox.hasOpen(row.subjectKey, "triage-card", row.platform)) return { wait: "triage card not posted yet" };
    return { cancel: "no triage card to redraw" };
  }
  const { summary } = JSON.parse(row.body || "{}") as { summary?: string };
  // A channel card has many readers: its instants are in the configured zone, named.
  const lastChange = request.version === row.version ? summary || undefined : undefined;
  const view = triageCardView(request, deps.timeZone, lastChange, {
    notes: await notesForTriageCard(deps.core, request),
    notOnFile: await relatedCasesNotOnFile(deps.core, request),
  });
  return {
    send: async (channel) => {
      await channel.updateCard(card, view);
      const shown = await triageCards.recordRedrawn(request.id, { ...card, drawnVersion: request.version });
      // Another sender drew a newer version first and this older drawing landed after it:
      // the card is owed the newer version again.
      if (shown > request.version) {
        const repair = {
          kind: "card-redraw" as const,
          platform: row.platform,
          conversationId: row.conversationId,
          subjectKey: row.subjectKey,
          version: shown,
          body: "",
          dedupeKey: `card-redraw:${request.id}:${row.platform}:repair:${row.id}`,
        };
        await outbox.enqueue([repair], (deps.clock ?? deps.core.clock).now());
      }
    },
  };
}

async function prepareReminder(deps: PrepareDeps, row: OutboxRow): Promise<Plan> {
  const subject = await reminderSubject(deps.core, row);
  if ("cancel" in subject) return subject;
  return {
    send: (channel) => {
      const today = reminderDay(deps.core.clock.now(), deps.timeZone);
      return toPerson(row, reminderView(subject.subject, daysBetween(today, row.dueDate), row.id, channel.commandPrefix)).send(channel);
    },
  };
}

/** Re-reads what a reminder is about just before sending: completion or unsubscribing cancels it. */
async function reminderSubject(core: CoreDeps, row: OutboxRow): Promise<{ subject: ReminderSubject } | { cancel: string }> {
  const id = idOf(row.subjectKey);
  /** The conversation's subscription is active, and its subscriber may still see the record. */
  const stillSubscribed = async (target: { type: "case" | "request"; id: string }) => {
    const subscription = await core.subscriptions.find({ platform: row.platform, conversationId: row.conversationId, target });
    if (!subscription || subscription.disabledReason) return false;
    if (await subscriberMaySee(core, subscription)) return true;
    await core.subscriptions.disable(
      subscription.id,
      `the subscriber may no longer see ${target.type === "case" ? target.id : "the request"}`,
    );
    return false;
  };
  if (row.subjectKey.startsWith("milestone:")) {
    const found = await core.cases.findMilestone(id);
    if (!found || found.milestone.completedDate) return { cancel: "milestone completed or removed" };
    const { milestone, caseRecord } = found;
    if (INACTIVE_CASE_STATUSES.includes(caseRecord.status)) return { cancel: "case closed or cancelled" };
    if (milestone.dueDate !== row.dueDate) return { cancel: "due date changed" };
    if (!(await stillSubscribed({ type: "case", id: caseRecord.id }))) return { cancel: "unsubscribed" };
    return { subject: milestoneSubject(caseRecord, milestone, Boolean(identityOfAddress(row.conversationId))) };
  }
  const request = await core.requests.findById(id);
  if (request?.status !== "SCHEDULED" || request.scheduledStart !== row.dueDate)
    return { cancel: "request no longer scheduled for that day" };
  const identityKey = identityOfAddress(row.conversationId);
  if (identityKey) {
    const people = [request.requester, ...(request.lead ? [request.lead] : [])];
    if (!people.some((person) => person.identityKeys.includes(identityKey))) return { cancel: "no longer the requester or lead" };
  } else if (!(await stillSubscribed({ type: "request", id: request.id }))) {
    return { cancel: "unsubscribed" };
  }
  return { subject: { kind: "request", request } };
}
