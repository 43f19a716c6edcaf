import type { CaseDetail } from "../core/cases/lookup-case.js";
import type { UpcomingItem } from "../core/cases/upcoming.js";
import { labelOf } from "../core/domain.js";
import type { MaRequest } from "../core/model.js";
import type { QueueEntry, RequestDetail } from "../core/requests/queries.js";
import { facultyMovesFrom, MOVE_RULES, type MoveKind } from "../core/requests/workflow.js";
import { formatDaysLeft, formatDuration, formatInstant, formatList, statusLabel } from "./format.js";
import { userText } from "./inert.js";
import { type ActionView, encodeReminderAction, encodeRequestAction, type MessageView, type ViewBlock } from "./views.js";

/** Lists in chat stay short: a message has block limits, and people scan, not scroll. */
export const LIST_LIMIT = 20;

function moveAction(request: MaRequest, kind: MoveKind): ActionView {
  const style = kind === "accept" ? "primary" : kind === "decline" || kind === "withdraw" ? "danger" : undefined;
  return {
    id: kind,
    label: MOVE_RULES[kind].label,
    style,
    value: encodeRequestAction({ requestId: request.id, version: request.version }),
  };
}

export function requestTitle(request: MaRequest): string {
  return `${request.number} · ${userText(request.form.organization)} — ${userText(request.form.program)}`;
}

/** The facts every request card shows. */
export function requestFields(request: MaRequest): ViewBlock {
  const { form } = request;
  const fields = [
    { label: "Status", value: statusLabel(request.status) },
    { label: "Component", value: labelOf(form.component) + (request.eligibilityCheck ? " — eligibility check needed" : "") },
    { label: "Support", value: `${labelOf(form.supportType)} · ${formatList(form.effortTypes)} · ${labelOf(form.lifecyclePhase)}` },
    { label: "Preferred dates", value: `${form.preferredStart} to ${form.preferredEnd}` },
    {
      label: "Delivery",
      value:
        form.deliveryMode === "VIRTUAL"
          ? "Virtual"
          : `${labelOf(form.deliveryMode)}, ${userText(form.location)}${form.travelFunded ? " (office funds travel)" : ""}`,
    },
    { label: "Audience", value: `${form.audienceSize} people` },
    { label: "Point of contact", value: `${userText(form.pocName)} ${userText(`<${form.pocEmail}>`)}` },
  ];
  if (form.relatedCases.length > 0) fields.push({ label: "Related cases", value: form.relatedCases.join(", ") });
  if (request.lead) fields.push({ label: "Faculty lead", value: userText(request.lead.displayName) });
  if (request.scheduledStart) fields.push({ label: "Scheduled", value: `${request.scheduledStart} to ${request.scheduledEnd}` });
  if (request.declineReason) fields.push({ label: "Declined", value: labelOf(request.declineReason) });
  return { type: "fields", fields };
}

/**
 * The triage channel's card: the request and the faculty moves its state allows. Who
 * may click is checked by the core when they do, not by hiding buttons.
 */
export function triageCardView(request: MaRequest, lastChange?: string): MessageView {
  const moves = facultyMovesFrom(request.status);
  const blocks: ViewBlock[] = [
    { type: "header", text: requestTitle(request) },
    requestFields(request),
    { type: "text", text: `*Problem statement*\n${userText(request.form.problemStatement)}` },
  ];
  if (request.question) blocks.push({ type: "text", text: `*Waiting for the requester:* ${userText(request.question)}` });
  if (moves.length > 0) blocks.push({ type: "actions", actions: moves.map((kind) => moveAction(request, kind)) });
  blocks.push({
    type: "context",
    text: `Requested by ${userText(request.requester.displayName)} · ${formatInstant(request.createdAt)}${lastChange ? ` · ${userText(lastChange)}` : ""}`,
  });
  return { text: `${request.number}: ${labelOf(request.status)} — ${userText(request.form.organization)}`, blocks };
}

/** A request as its requester sees it, with the moves they can make. */
export function requesterCardView(request: MaRequest, heading: string, moves: MoveKind[]): MessageView {
  const blocks: ViewBlock[] = [{ type: "text", text: heading }, { type: "header", text: requestTitle(request) }, requestFields(request)];
  if (request.question) blocks.push({ type: "text", text: `*Question from faculty:* ${userText(request.question)}` });
  if (moves.length > 0) blocks.push({ type: "actions", actions: moves.map((kind) => moveAction(request, kind)) });
  return { text: heading, blocks };
}

/** What the history says happened, in words: "accepted", "asked for information". */
function historyVerb(action: string): string {
  if (action === "submit") return "submitted the request";
  return action in MOVE_RULES ? MOVE_RULES[action as MoveKind].pastTense : labelOf(action).toLowerCase();
}

export function requestDetailView(detail: RequestDetail): MessageView {
  const { request, history } = detail;
  const blocks: ViewBlock[] = [
    { type: "header", text: requestTitle(request) },
    requestFields(request),
    { type: "text", text: `*Problem statement*\n${userText(request.form.problemStatement)}` },
  ];
  if (request.form.desiredOutcome) blocks.push({ type: "text", text: `*Desired outcome*\n${userText(request.form.desiredOutcome)}` });
  if (request.question) blocks.push({ type: "text", text: `*Open question:* ${userText(request.question)}` });
  blocks.push({
    type: "text",
    text: `*History*\n${history
      .map(
        (event) =>
          `${formatInstant(event.at)} — ${userText(event.actor.displayName)} ${historyVerb(event.action)}${event.note ? `: ${userText(event.note)}` : ""}`,
      )
      .join("\n")}`,
  });
  if (detail.moves.length > 0) blocks.push({ type: "actions", actions: detail.moves.map((kind) => moveAction(request, kind)) });
  return { text: `${request.number}: ${labelOf(request.status)}`, blocks };
}

export function myRequestsView(requests: MaRequest[], prefix: string): MessageView {
  if (requests.length === 0) {
    return {
      text: "You have no Mission Assistance requests yet.",
      blocks: [{ type: "text", text: `You have no requests yet. Type \`${prefix}new\` to ask for Mission Assistance.` }],
    };
  }
  const shown = requests.slice(0, LIST_LIMIT);
  const lines = shown.map(
    (request) => `*${request.number}* ${statusLabel(request.status)} — ${userText(request.form.program)} (${request.form.preferredStart})`,
  );
  const more =
    requests.length > shown.length ? `\n…and ${requests.length - shown.length} older. \`${prefix}show <id>\` for any of them.` : "";
  return {
    text: `Your requests (${requests.length})`,
    blocks: [
      { type: "header", text: `Your requests (${requests.length})` },
      { type: "text", text: lines.join("\n") + more },
    ],
  };
}

export function queueView(entries: QueueEntry[]): MessageView {
  if (entries.length === 0)
    return { text: "The triage queue is empty.", blocks: [{ type: "text", text: "The triage queue is empty. 🎉" }] };
  const shown = entries.slice(0, LIST_LIMIT);
  const lines = shown.map(
    ({ request, waitingMs }) =>
      `*${request.number}* ${statusLabel(request.status)} — ${userText(request.form.organization)}: ${userText(request.form.program)} · waiting ${formatDuration(waitingMs)}${request.eligibilityCheck ? " · eligibility check" : ""}`,
  );
  const more = entries.length > shown.length ? `\n…and ${entries.length - shown.length} more.` : "";
  return {
    text: `Triage queue (${entries.length})`,
    blocks: [
      { type: "header", text: `Triage queue (${entries.length}, oldest first)` },
      { type: "text", text: lines.join("\n") + more },
    ],
  };
}

export const CUI_BANNER = "CUI — Controlled Unclassified Information";

export function caseView(detail: CaseDetail): MessageView {
  const { caseRecord } = detail;
  const facts = [
    { label: "Status", value: labelOf(caseRecord.status) },
    { label: "Type", value: caseRecord.category ? `${caseRecord.type}, category ${caseRecord.category}` : caseRecord.type },
  ];
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

/** A view with a warning line on top: why the person is seeing it ("this request changed"). */
export function withBanner(view: MessageView, text: string): MessageView {
  return { ...view, blocks: [{ type: "text", text: `⚠️ ${text}` }, ...view.blocks] };
}

/** A one-line answer. */
export function noticeView(text: string): MessageView {
  return { text, blocks: [{ type: "text", text }] };
}

export type ReminderSubject =
  | { kind: "milestone"; caseRecord: { id: string; title: string }; milestone: { id: string; type: string; dueDate: string; note: string } }
  | { kind: "request"; request: MaRequest };

/**
 * A reminder: what is due, for which case or request, the date, how many days are left
 * (or overdue), and how to see more. Case reminders carry the CUI marking.
 */
export function reminderView(subject: ReminderSubject, daysLeft: number, reminderId: string, prefix: string): MessageView {
  if (subject.kind === "milestone") {
    const { caseRecord, milestone } = subject;
    const what = `${labelOf(milestone.type)} for ${caseRecord.id}${caseRecord.title ? ` (${userText(caseRecord.title)})` : ""}`;
    const headline = `⏰ ${what}: due ${milestone.dueDate}, ${formatDaysLeft(daysLeft)}`;
    return {
      text: `${CUI_BANNER}. ${headline}`,
      marking: "CUI",
      blocks: [
        { type: "context", text: CUI_BANNER },
        { type: "text", text: `*${headline}*${milestone.note ? `\n${userText(milestone.note)}` : ""}` },
        {
          type: "actions",
          actions: [
            {
              id: "milestoneDone",
              label: "Mark done",
              style: "primary",
              value: encodeReminderAction({ milestoneId: milestone.id, reminderId }),
            },
            { id: "reminderSnooze", label: "Snooze 1 day", value: encodeReminderAction({ milestoneId: milestone.id, reminderId }) },
          ],
        },
        { type: "context", text: `Details: \`${prefix}case ${caseRecord.id}\`` },
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
      { type: "actions", actions: [{ id: "reminderSnooze", label: "Snooze 1 day", value: encodeReminderAction({ reminderId }) }] },
      { type: "context", text: `Details: \`${prefix}show ${request.number}\`` },
    ],
  };
}
