import { labelOf } from "../core/domain.js";
import type { AuditEvent, MaRequest } from "../core/model.js";
import { relatedCasesShown } from "../core/permissions.js";
import type { QueueEntry, RequestDetail } from "../core/requests/queries.js";
import { facultyMovesFrom, MOVE_RULES, type MoveKind, movesForPerson } from "../core/requests/workflow.js";
import { formatDuration, formatInstant, formatList, statusLabel, workingDays } from "./format.js";
import { REQUEST_FIELD_LABELS } from "./forms.js";
import { userText } from "./inert.js";
import { notesBlocks } from "./present-lifecycle.js";
import { type ActionView, encodeRequestAction, type MessageView, type ViewBlock } from "./views.js";

/** Lists in chat stay short: a message has block limits, and people scan, not scroll. */
export const LIST_LIMIT = 20;

function moveAction(request: MaRequest, kind: MoveKind): ActionView {
  const style = kind === "accept" ? "primary" : kind === "decline" || kind === "withdraw" ? "danger" : undefined;
  const label = MOVE_RULES[kind].label;
  return {
    id: kind,
    label,
    description: `${label} ${request.number}`,
    style,
    value: encodeRequestAction({ requestId: request.id, version: request.version }),
  };
}

export function requestTitle(request: MaRequest): string {
  // A request that came by mail may lack organization and program: its subject names it.
  if (request.intake && !(request.form.organization && request.form.program)) {
    return `${request.number} · ${userText(request.intake.title || "(no subject)")}`;
  }
  return `${request.number} · ${userText(request.form.organization)} — ${userText(request.form.program)}`;
}

/** "Received by e-mail — missing: Preferred start, Preferred end", attachments, held mail. */
function intakeBlocks(request: MaRequest): ViewBlock[] {
  const { intake } = request;
  if (!intake) return [];
  const missing = intake.missingFields.map((field) => REQUEST_FIELD_LABELS.get(field) ?? field);
  const lines = [`📧 Received by e-mail${missing.length > 0 ? ` — missing: ${missing.join(", ")}` : " — complete"}`];
  if (intake.title) lines.push(`Subject: ${userText(intake.title)}`);
  if (intake.attachments.length > 0) {
    lines.push(
      `Attachments (not stored): ${intake.attachments.map((file) => `${userText(file.name)} (${formatSize(file.size)})`).join(", ")}`,
    );
  }
  if (intake.heldMail > 0) lines.push(`⚠ ${intake.heldMail} mail(s) from someone not on the request, held for faculty`);
  return [{ type: "context", text: lines.join("\n") }];
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * The facts every request card shows, instants in the reader's `zone` (dates of the form
 * are calendar dates and never shift). Related case ids as the core allows them to be
 * shown: by default as on a card anyone may read (a triage channel, a forwarded notice),
 * where a masked case's id never appears.
 */
export function requestFields(
  request: MaRequest,
  zone: string,
  related = relatedCasesShown(undefined, request.form.relatedCases),
  notOnFile: readonly string[] = [],
): ViewBlock {
  const { form } = request;
  const fields = [
    { label: "Status", value: `${statusLabel(request.status)} since ${formatInstant(request.statusSince, zone)}` },
    { label: "Component", value: labelOf(form.component) + (request.eligibilityCheck ? " — eligibility check needed" : "") },
    { label: "Support", value: `${labelOf(form.supportType)} · ${formatList(form.effortTypes)} · ${labelOf(form.lifecyclePhase)}` },
    // A request that came by mail may not have its dates yet.
    { label: "Preferred dates", value: form.preferredStart ? `${form.preferredStart} to ${form.preferredEnd || "?"}` : "not given yet" },
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
  if (related.shown.length + related.hidden > 0) {
    const masked = related.hidden > 0 ? `${related.shown.length > 0 ? " and " : ""}${related.hidden} masked (faculty: \`show\`)` : "";
    // Faculty see which ids are not on file; the requester's card never says (it would tell them which cases exist).
    const ids = related.shown.map((caseId) => (notOnFile.includes(caseId) ? `${caseId} (not on file)` : caseId));
    fields.push({ label: "Related cases", value: `${ids.join(", ")}${masked}` });
  }
  if (request.lead) fields.push({ label: "Faculty lead", value: userText(request.lead.displayName) });
  if (request.scheduledStart) fields.push({ label: "Scheduled", value: `${request.scheduledStart} to ${request.scheduledEnd}` });
  if (request.declineReason) {
    const reason = request.duplicateOf ? `Duplicate of ${request.duplicateOf.number}` : labelOf(request.declineReason);
    fields.push({ label: "Declined", value: reason });
  }
  return { type: "fields", fields };
}

/**
 * The triage channel's card: the request and the faculty moves its state allows. Who
 * may click is checked by the core when they do, not by hiding buttons. In a channel
 * (many readers) `zone` is the configured one; shown to one person, theirs. `faculty`: what
 * only faculty's cards carry (internal notes, the related case ids not on file).
 */
export function triageCardView(
  request: MaRequest,
  zone: string,
  lastChange?: string,
  faculty: { notes?: readonly AuditEvent[]; notOnFile?: readonly string[] } = {},
): MessageView {
  const { notes = [], notOnFile = [] } = faculty;
  const moves = facultyMovesFrom(request.status);
  const blocks: ViewBlock[] = [
    { type: "header", text: requestTitle(request) },
    ...intakeBlocks(request),
    requestFields(request, zone, undefined, notOnFile),
    { type: "text", text: `*Problem statement*\n${userText(request.form.problemStatement)}` },
  ];
  if (request.question) blocks.push({ type: "text", text: `*Waiting for the requester:* ${userText(request.question)}` });
  blocks.push(...notesBlocks(notes, zone));
  if (moves.length > 0) blocks.push({ type: "actions", actions: moves.map((kind) => moveAction(request, kind)) });
  blocks.push({
    type: "context",
    text: `Requested by ${userText(request.requester.displayName)} · ${formatInstant(request.createdAt, zone)}${lastChange ? ` · ${userText(lastChange)}` : ""}`,
  });
  return { text: `${request.number}: ${labelOf(request.status)} — ${userText(request.form.organization)}`, blocks };
}

/** A request as its requester sees it (instants in their `zone`), with the moves they can make. */
export function requesterCardView(request: MaRequest, heading: string, moves: MoveKind[], zone: string): MessageView {
  const blocks: ViewBlock[] = [
    { type: "text", text: heading },
    { type: "header", text: requestTitle(request) },
    requestFields(request, zone),
  ];
  if (request.question) blocks.push({ type: "text", text: `*Question from faculty:* ${userText(request.question)}` });
  if (moves.length > 0) blocks.push({ type: "actions", actions: moves.map((kind) => moveAction(request, kind)) });
  return { text: heading, blocks };
}

/**
 * The card a requester got when filing, as it stands now: redrawn after each move, so its
 * buttons are the moves they may still make (Withdraw and Edit go once faculty triaged it).
 */
export function receivedCardView(request: MaRequest, zone: string): MessageView {
  const heading = `Your Mission Assistance request ${request.number} was received.`;
  return requesterCardView(request, heading, movesForPerson(request.requester, request), zone);
}

/** What the history says happened, in words: "accepted", "asked for information". */
function historyVerb(action: string): string {
  if (action === "submit") return "submitted the request";
  if (action === "note") return "🔒 added an internal note (faculty only)";
  if (action === "reopen") return "reopened the request";
  if (action === "merge") return "closed it as a duplicate";
  if (action === "merged-in") return "merged a duplicate into it";
  return action in MOVE_RULES ? MOVE_RULES[action as MoveKind].pastTense : labelOf(action).toLowerCase();
}

/** "3 working days in this status (service level: 2)". */
function waitingText(waiting: NonNullable<RequestDetail["waiting"]>): string {
  const days = `${workingDays(waiting.workingDays)} in this status`;
  if (waiting.serviceLevel === undefined) return days;
  const past = waiting.workingDays > waiting.serviceLevel ? ", past its service level" : "";
  return `${days} (service level: ${waiting.serviceLevel}${past})`;
}

/** `show`: the request and its history, instants in the reader's `zone`. */
export function requestDetailView(detail: RequestDetail, zone: string): MessageView {
  const { request, history } = detail;
  const blocks: ViewBlock[] = [
    { type: "header", text: requestTitle(request) },
    requestFields(request, zone, detail.relatedCases, detail.relatedCases.notOnFile),
    ...(detail.waiting ? [{ type: "context" as const, text: `⏱ Waiting ${waitingText(detail.waiting)}` }] : []),
    { type: "text", text: `*Problem statement*\n${userText(request.form.problemStatement)}` },
  ];
  if (request.form.desiredOutcome) blocks.push({ type: "text", text: `*Desired outcome*\n${userText(request.form.desiredOutcome)}` });
  if (request.question) blocks.push({ type: "text", text: `*Open question:* ${userText(request.question)}` });
  blocks.push({
    type: "text",
    text: `*History*\n${history
      .map(
        (event) =>
          `${formatInstant(event.at, zone)} — ${userText(event.actor.displayName)} ${historyVerb(event.action)}${event.note ? `: ${userText(event.note)}` : ""}`,
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
    (request) =>
      `*${request.number}* ${statusLabel(request.status)}${request.duplicateOf ? ` (duplicate of ${request.duplicateOf.number})` : ""} — ${userText(request.form.program)} (${request.form.preferredStart})`,
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

/** A view with a warning line on top: why the person is seeing it ("this request changed"). */
export function withBanner(view: MessageView, text: string): MessageView {
  return { ...view, blocks: [{ type: "text", text: `⚠️ ${text}` }, ...view.blocks] };
}

/** A one-line answer. */
export function noticeView(text: string): MessageView {
  return { text, blocks: [{ type: "text", text }] };
}
