import { formatDay } from "../core/dates.js";
import type { MaRequest } from "../core/model.js";
import type { Digest, Waiting } from "../core/service-levels/digest.js";
import type { NudgeBody } from "../core/service-levels/policy.js";
import { readerZone, statusLabel, workingDays } from "./format.js";
import { userText } from "./inert.js";
import { LIST_LIMIT, requesterCardView } from "./present.js";
import type { MessageView, ViewBlock } from "./views.js";

/** "Tue 24 Nov": a day people read at a glance. */
export function shortDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return date.toLocaleDateString("en-US", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
}

const line = (request: MaRequest) => `*${request.number}* ${userText(request.form.organization)} — ${userText(request.form.program)}`;

/**
 * What a service-level nudge says; one sent in place of someone away says so first.
 * `configuredZone`: the zone of instants for a reader whose platform gave none.
 */
export function nudgeView(request: MaRequest, nudge: NudgeBody, prefix: string, configuredZone: string): MessageView {
  const view = audienceNudgeView(request, nudge, prefix, configuredZone);
  if (!nudge.coveringFor) return view;
  const covering = `↪️ You get this because ${userText(nudge.coveringFor.name)} is away until ${formatDay(nudge.coveringFor.until)}.`;
  return { text: `${view.text} (${userText(nudge.coveringFor.name)} is away)`, blocks: [{ type: "text", text: covering }, ...view.blocks] };
}

/** What a service-level nudge says, to whom it goes (see NudgeBody.audience). */
function audienceNudgeView(request: MaRequest, nudge: NudgeBody, prefix: string, configuredZone: string): MessageView {
  const waited = workingDays(nudge.waited);
  const show = `Type \`${prefix}show ${request.number}\` for details.`;
  const text = (summary: string, detail: string = summary): MessageView => ({
    text: summary,
    blocks: [
      { type: "text", text: `⏰ ${detail}` },
      { type: "context", text: show },
    ],
  });
  switch (nudge.audience) {
    case "triage-card":
      return text(
        `${request.number} has waited ${waited} for triage.`,
        `*${request.number}* has waited ${waited} for triage (service level: ${workingDays(nudge.serviceLevel)}). Accept it, ask for information or decline it on this card.`,
      );
    case "admins":
      return text(
        `${request.number} has waited ${waited} for triage.`,
        `${line(request)} has waited ${waited} for triage, twice its service level of ${workingDays(nudge.serviceLevel)}, and nobody has accepted, asked about or declined it.`,
      );
    case "requester":
      return requesterCardView(
        request,
        `⏰ Faculty are waiting for your answer on *${request.number}* (asked ${waited} ago). Answer below so they can go on.`,
        ["answer"],
        readerZone(request.requester, configuredZone),
      );
    case "asker":
      return text(
        `${request.number} has waited ${waited} for an answer.`,
        `${line(request)} has waited ${waited} for an answer to your question: ${userText(request.question)}\nConsider declining it (no response), or calling its point of contact, ${userText(request.form.pocName)} ${userText(`<${request.form.pocEmail}>`)}.`,
      );
    case "lead":
      return nudge.stage === "SCHEDULED"
        ? text(
            `${request.number}: was the session delivered?`,
            `The session for ${line(request)} was to end on ${shortDay(request.scheduledEnd ?? "")}. If it took place, choose *Mark delivered* on its triage card.`,
          )
        : text(
            `${request.number} has waited ${waited} for dates.`,
            `${line(request)} was assigned to you ${waited} ago and has no dates yet (service level: ${workingDays(nudge.serviceLevel)}). Choose *Schedule* on its triage card.`,
          );
  }
}

function section(title: string, lines: string[]): ViewBlock[] {
  if (lines.length === 0) return [];
  const shown = lines.slice(0, LIST_LIMIT);
  const more = lines.length > shown.length ? `\n…and ${lines.length - shown.length} more.` : "";
  return [{ type: "text", text: `*${title}*\n${shown.join("\n")}${more}` }];
}

const waitingLine = ({ request, waited }: Waiting) => `${line(request)} · ${workingDays(waited)}`;

/** The morning digest of a triage channel. */
export function digestView(digest: Digest, prefix: string): MessageView {
  const heading = `Mission Assistance today, ${shortDay(digest.day)}`;
  return {
    text: heading,
    blocks: [
      { type: "header", text: heading },
      ...section(`Waiting for triage (${digest.waitingForTriage.length}, oldest first)`, digest.waitingForTriage.map(waitingLine)),
      ...section(`Questions awaiting answers (${digest.awaitingAnswers.length})`, digest.awaitingAnswers.map(waitingLine)),
      ...section(
        `Sessions this week (${digest.sessionsThisWeek.length})`,
        digest.sessionsThisWeek.map(
          (request) =>
            `${line(request)} · ${shortDay(request.scheduledStart ?? "")} to ${shortDay(request.scheduledEnd ?? "")}${request.lead ? ` · ${userText(request.lead.displayName)}` : ""}`,
        ),
      ),
      ...section(
        `Past the service level (${digest.pastServiceLevel.length})`,
        digest.pastServiceLevel.map(({ request, waited, serviceLevel }) =>
          request.status === "SCHEDULED"
            ? `${line(request)} · ${statusLabel(request.status)}, ended ${shortDay(request.scheduledEnd ?? "")}, not marked delivered`
            : `${line(request)} · ${statusLabel(request.status)} for ${workingDays(waited)} (service level ${serviceLevel})`,
        ),
      ),
      { type: "context", text: `Type \`${prefix}queue\` for the triage queue, \`${prefix}show <id>\` for any request.` },
    ],
  };
}
