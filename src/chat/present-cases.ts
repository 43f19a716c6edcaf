import type { CaseDetail } from "../core/cases/lookup-case.js";
import type { UpcomingItem } from "../core/cases/upcoming.js";
import { labelOf } from "../core/domain.js";
import { IMPLEMENTING_AGENCIES } from "../core/ids/case-id.js";
import type { CaseRecord, MaRequest, Milestone } from "../core/model.js";
import type { Subscription } from "../core/ports.js";
import { formatDaysLeft, statusLabel } from "./format.js";
import { userText } from "./inert.js";
import { LIST_LIMIT } from "./present.js";
import { type ActionView, encodeReminderAction, type MessageView, type ViewBlock } from "./views.js";

/** Case answers and reminders: case data is CUI, marked at the top and answered privately. */

export const CUI_BANNER = "CUI — Controlled Unclassified Information";

export function caseView(detail: CaseDetail): MessageView {
  const { caseRecord } = detail;
  const facts = [
    { label: "Status", value: labelOf(caseRecord.status) },
    { label: "Type", value: caseRecord.category ? `${caseRecord.type}, category ${caseRecord.category}` : caseRecord.type },
  ];
  // The implementing agency is the id's second part: B Army, D Air Force, P Navy, F DCMA, R DLA.
  const agency = IMPLEMENTING_AGENCIES[caseRecord.id.split("-")[1] ?? ""];
  if (agency) facts.push({ label: "Implementing agency", value: agency });
  if (caseRecord.partner) facts.push({ label: "Partner", value: userText(caseRecord.partner) });
  if (caseRecord.programOffice) facts.push({ label: "Program office", value: userText(caseRecord.programOffice) });
  const milestoneLines = detail.milestones.map((milestone) => {
    const when = milestone.completedDate ? `done ${milestone.completedDate}` : milestone.dueDate ? `due ${milestone.dueDate}` : "no date";
    return `${milestone.completedDate ? "☑" : "☐"} ${labelOf(milestone.type)} — ${when}${milestone.note ? ` · ${userText(milestone.note)}` : ""}`;
  });
  const blocks: ViewBlock[] = [
    { type: "context", text: CUI_BANNER },
    { type: "header", text: caseRecord.title ? `${caseRecord.id} · ${userText(caseRecord.title)}` : caseRecord.id },
    { type: "fields", fields: facts },
    { type: "text", text: `*Milestones*\n${milestoneLines.length > 0 ? milestoneLines.join("\n") : "None recorded."}` },
  ];
  if (detail.computed.length > 0) {
    blocks.push({
      type: "text",
      text: `*SAMM standard dates*\n${detail.computed.map((item) => `${item.label}: ${item.date} (${item.basis})`).join("\n")}`,
    });
  }
  if (detail.linkedRequests.length > 0) {
    blocks.push({
      type: "text",
      text: `*Mission Assistance requests*\n${detail.linkedRequests.map((request) => `${request.number} ${statusLabel(request.status)} — ${userText(request.form.organization)}`).join("\n")}`,
    });
  }
  return { text: `${CUI_BANNER}: case ${caseRecord.id}`, marking: "CUI", blocks };
}

export function upcomingView(items: UpcomingItem[], days: number): MessageView {
  if (items.length === 0) {
    return {
      text: `Nothing you can see is due in the next ${days} days.`,
      blocks: [{ type: "text", text: `Nothing you can see is due in the next ${days} days.` }],
    };
  }
  const shown = items.slice(0, LIST_LIMIT);
  const lines = shown.map((item) =>
    item.kind === "milestone"
      ? `${item.date} (${formatDaysLeft(item.daysLeft)}) — ${item.caseRecord.id}: ${labelOf(item.milestone.type)}`
      : `${item.date} (${formatDaysLeft(item.daysLeft)}) — ${item.request.number}: Mission Assistance starts (${userText(item.request.form.organization)})`,
  );
  const more = items.length > shown.length ? `\n…and ${items.length - shown.length} more.` : "";
  const hasCases = items.some((item) => item.kind === "milestone");
  return {
    text: `Due in the next ${days} days: ${items.length}`,
    marking: hasCases ? "CUI" : undefined,
    blocks: [
      ...(hasCases ? [{ type: "context" as const, text: CUI_BANNER }] : []),
      { type: "header", text: `Due in the next ${days} days` },
      { type: "text", text: lines.join("\n") + more },
    ],
  };
}

/** Subscriptions, one a line: what, where (when listing all), and why one stopped. */
export function subscriptionsView(subscriptions: Subscription[], all: boolean): MessageView {
  const heading = all ? `Subscriptions (${subscriptions.length})` : `This conversation's subscriptions (${subscriptions.length})`;
  if (subscriptions.length === 0) return { text: heading, blocks: [{ type: "text", text: "No reminders are set up here." }] };
  const lines = subscriptions.slice(0, LIST_LIMIT * 5).map((item) => {
    const what = item.target.type === "case" ? item.target.id : `request ${item.target.id}`;
    const place = all ? ` — ${item.platform} ${userText(item.conversationId)}` : "";
    return `${what}${place}${item.disabledReason ? ` — stopped: ${userText(item.disabledReason)}` : ""}`;
  });
  return {
    text: heading,
    blocks: [
      { type: "header", text: heading },
      { type: "text", text: lines.join("\n") },
    ],
  };
}

export type ReminderSubject =
  | {
      kind: "milestone";
      /** Sent to one person (their 1:1 chat with the bot), not a channel. */
      personal: boolean;
      caseRecord: { id: string; title: string };
      milestone: { id: string; type: string; dueDate: string; note: string };
    }
  | { kind: "request"; request: MaRequest };

/**
 * What a milestone reminder may say where it goes. Case data is CUI: a channel (anyone in
 * it reads it) gets the case id, milestone and date only, with "Details privately"; the
 * title and the milestone's note go to one person's 1:1 chat; a masked case never more.
 */
export function milestoneSubject(caseRecord: CaseRecord, milestone: Milestone, personal: boolean): ReminderSubject {
  const details = personal && !caseRecord.masked;
  return {
    kind: "milestone",
    personal,
    caseRecord: { id: caseRecord.id, title: details ? caseRecord.title : "" },
    milestone: { id: milestone.id, type: milestone.type, dueDate: milestone.dueDate ?? "", note: details ? milestone.note : "" },
  };
}

type MilestoneSubject = Extract<ReminderSubject, { kind: "milestone" }>;

const milestoneWhat = ({ caseRecord, milestone }: MilestoneSubject) =>
  `${labelOf(milestone.type)} for ${caseRecord.id}${caseRecord.title ? ` (${userText(caseRecord.title)})` : ""}`;

/** Where to read more: the channel's answer is never more than the id, milestone and date. */
function detailsHint(subject: MilestoneSubject, prefix: string): ViewBlock {
  const command = `\`${prefix}case ${subject.caseRecord.id}\``;
  return {
    type: "context",
    text: subject.personal
      ? `Details: ${command}`
      : `Details privately: *Details privately* above, or ${command} in your direct message with the bot.`,
  };
}

/**
 * A reminder: what is due, for which case or request, the date, how many days are left
 * (or overdue), and how to see more. Case reminders carry the CUI marking; Mark done asks
 * first (it changes shared case data for everyone). `change` says what just happened on it.
 */
export function reminderView(subject: ReminderSubject, daysLeft: number, reminderId: string, prefix: string, change?: string): MessageView {
  if (subject.kind === "milestone") {
    const { caseRecord, milestone } = subject;
    const headline = `⏰ ${milestoneWhat(subject)}: due ${milestone.dueDate}, ${formatDaysLeft(daysLeft)}`;
    const value = encodeReminderAction({ milestoneId: milestone.id, reminderId });
    const actions: ActionView[] = [
      {
        id: "milestoneDone",
        label: "Mark done",
        description: `Mark done: ${labelOf(milestone.type)} for ${caseRecord.id}`,
        style: "primary",
        value,
        confirm: {
          title: "Mark done?",
          text: `Mark ${labelOf(milestone.type)} for ${caseRecord.id} done? Its reminders stop for everyone. You can undo it for 10 minutes.`,
          yes: "Mark done",
          no: "Cancel",
        },
      },
      { id: "reminderSnooze", label: "Snooze 1 day", description: `Snooze 1 day: the ${caseRecord.id} reminder`, value },
    ];
    if (!subject.personal) {
      actions.push({ id: "reminderDetails", label: "Details privately", description: `Details privately: case ${caseRecord.id}`, value });
    }
    return {
      text: `${CUI_BANNER}. ${headline}`,
      marking: "CUI",
      blocks: [
        { type: "context", text: CUI_BANNER },
        { type: "text", text: `*${headline}*${milestone.note ? `\n${userText(milestone.note)}` : ""}` },
        ...(change ? [{ type: "context" as const, text: userText(change) }] : []),
        { type: "actions", actions },
        detailsHint(subject, prefix),
      ],
    };
  }
  const { request } = subject;
  const headline = `⏰ Mission Assistance ${request.number} starts ${request.scheduledStart}, ${formatDaysLeft(daysLeft)}`;
  return {
    text: headline,
    blocks: [
      {
        type: "text",
        text: `*${headline}*\n${userText(request.form.organization)} — ${userText(request.form.program)}${request.lead ? `\nFaculty lead: ${userText(request.lead.displayName)}` : ""}`,
      },
      ...(change ? [{ type: "context" as const, text: userText(change) }] : []),
      {
        type: "actions",
        actions: [
          {
            id: "reminderSnooze",
            label: "Snooze 1 day",
            description: `Snooze 1 day: the ${request.number} reminder`,
            value: encodeReminderAction({ reminderId }),
          },
        ],
      },
      { type: "context", text: `Details: \`${prefix}show ${request.number}\`` },
    ],
  };
}

/**
 * A milestone reminder after Mark done: it still names the case and milestone, says who
 * marked it done and when, and offers Undo (which works for 10 minutes after the click).
 */
export function reminderDoneView(
  subject: MilestoneSubject,
  done: { by?: string; on: string },
  reminderId: string,
  prefix: string,
): MessageView {
  const { milestone } = subject;
  const who = done.by ? ` by ${userText(done.by)}` : "";
  const line = `☑ ${milestoneWhat(subject)}, due ${milestone.dueDate}: marked done${who} on ${done.on}.`;
  return {
    text: `${CUI_BANNER}. ${line}`,
    marking: "CUI",
    blocks: [
      { type: "context", text: CUI_BANNER },
      { type: "text", text: line },
      {
        type: "actions",
        actions: [
          {
            id: "milestoneUndo",
            label: "Undo",
            description: `Undo mark done: ${labelOf(milestone.type)} for ${subject.caseRecord.id}`,
            value: encodeReminderAction({ milestoneId: milestone.id, reminderId }),
          },
        ],
      },
      { type: "context", text: "No more reminders for it. Undo works for 10 minutes after it was marked done." },
      detailsHint(subject, prefix),
    ],
  };
}
