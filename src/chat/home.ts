import { addDays, dayInZone, formatDay } from "../core/dates.js";
import type { CoreDeps } from "../core/deps.js";
import { myAwayPeriods } from "../core/faculty/availability.js";
import type { Actor } from "../core/model.js";
import { canSeeRequest, isFaculty } from "../core/permissions.js";
import { listMyRequests, myAssignments, triageQueue } from "../core/requests/queries.js";
import { statusLabel } from "./format.js";
import { userText } from "./inert.js";
import { LIST_LIMIT, myRequestsView, queueView } from "./present.js";
import { awayText } from "./present-workbench.js";
import type { MessageView, ViewBlock } from "./views.js";

/** How far ahead "Sessions ahead" looks. */
export const SESSIONS_AHEAD_DAYS = 60;

/**
 * A person's home with the bot: their own requests; for faculty whether they are away,
 * the requests they lead and the triage queue; for everyone the sessions ahead they may
 * see. One neutral view: Slack's App Home and `/ma home`, and Teams' `home` card.
 */
export async function homeView(core: CoreDeps, actor: Actor, options: { prefix: string; contactEmail?: string }): Promise<MessageView> {
  const today = dayInZone(core.clock.now(), core.timeZone);
  const blocks: ViewBlock[] = [
    { type: "header", text: "Mission Assistance" },
    {
      type: "text",
      text: "Ask DAU International Acquisition Center faculty for help with FMS, BPC and International Armaments Cooperation work. Space-available; no charge for faculty time; your office funds travel.",
    },
    { type: "divider" },
    ...myRequestsView(await listMyRequests(core, actor), options.prefix).blocks,
  ];
  if (isFaculty(actor)) {
    const [periods, assignments, queue] = await Promise.all([
      myAwayPeriods(core, actor),
      myAssignments(core, actor),
      triageQueue(core, actor),
    ]);
    const [current] = periods;
    const availability =
      current && current.from <= today
        ? `🏝 *You are away* ${awayText(current)}. You are not suggested as lead; nudges about your requests go to ${current.backup ? userText(current.backup.displayName) : "the admins"}. \`${options.prefix}away off\` when you are back.`
        : `You are available.${current ? ` Away next: ${awayText(current)}.` : ""} \`${options.prefix}away <from> <to>\` before leave, TDY or teaching.`;
    const lines = assignments.map(
      (request) => `*${request.number}* ${statusLabel(request.status)} — ${userText(request.form.organization)}`,
    );
    blocks.push(
      { type: "text", text: availability },
      { type: "divider" },
      { type: "header", text: `Your assignments (${assignments.length})` },
      { type: "text", text: lines.length === 0 ? "None open." : lines.slice(0, LIST_LIMIT).join("\n") },
      { type: "divider" },
      ...queueView(queue).blocks,
    );
  }
  const scheduled = await core.requests.listScheduledBetween(today, addDays(today, SESSIONS_AHEAD_DAYS));
  const sessions = scheduled
    .filter((request) => request.status === "SCHEDULED" && canSeeRequest(actor, request))
    .sort((a, b) => (a.scheduledStart ?? "").localeCompare(b.scheduledStart ?? ""));
  const sessionLines = sessions
    .slice(0, LIST_LIMIT)
    .map(
      (request) =>
        `${formatDay(request.scheduledStart ?? today)} · *${request.number}* ${userText(request.form.program)}${request.lead ? ` — lead: ${userText(request.lead.displayName)}` : ""}`,
    );
  blocks.push(
    { type: "divider" },
    { type: "header", text: `Sessions ahead (${sessions.length})` },
    { type: "text", text: sessionLines.length === 0 ? `None in the next ${SESSIONS_AHEAD_DAYS} days.` : sessionLines.join("\n") },
  );
  const contact = options.contactEmail
    ? `Questions: ${userText(options.contactEmail)}`
    : "Questions: DAU International Acquisition Center (DSMC-International).";
  blocks.push({ type: "context", text: contact });
  return { text: "Mission Assistance", blocks };
}
