import { formatDay } from "../core/dates.js";
import type { LeadCandidate } from "../core/faculty/lead-candidates.js";
import { TEMPLATE_VARIABLES } from "../core/faculty/templates.js";
import type { AwayPeriod, ReplyTemplate } from "../core/ports.js";
import { userText } from "./inert.js";
import type { MessageView } from "./views.js";

/** Views of the faculty workbench: saved replies, availability, skills, the lead picker's options. */

const VARIABLES = Object.keys(TEMPLATE_VARIABLES)
  .map((name) => `{${name}}`)
  .join(" ");

export function templatesView(templates: ReplyTemplate[], prefix: string): MessageView {
  const usage = `Add one with \`${prefix}template add NAME <text>\`; ${VARIABLES} are filled in for the request.`;
  if (templates.length === 0) return { text: "No saved replies yet.", blocks: [{ type: "text", text: `No saved replies yet. ${usage}` }] };
  return {
    text: `Saved replies (${templates.length})`,
    blocks: [
      { type: "header", text: `Saved replies (${templates.length})` },
      { type: "text", text: templates.map((template) => `*${userText(template.name)}* — ${userText(template.text)}`).join("\n") },
      { type: "context", text: `The Ask for information and Decline forms offer them. ${usage}` },
    ],
  };
}

/** "12 Jan 2027 to 20 Jan 2027 (TDY Bandaria; backup: Lee Park)". */
export function awayText(period: AwayPeriod): string {
  const extra = [period.note ? userText(period.note) : "", period.backup ? `backup: ${userText(period.backup.displayName)}` : ""].filter(
    Boolean,
  );
  return `${formatDay(period.from)} to ${formatDay(period.to)}${extra.length > 0 ? ` (${extra.join("; ")})` : ""}`;
}

export function awayPeriodsView(periods: AwayPeriod[], lead: string): MessageView {
  const lines = periods.map((period) => `• ${awayText(period)}`);
  const text = lines.length > 0 ? `${lead}\n${lines.join("\n")}` : lead;
  return { text: lead, blocks: [{ type: "text", text }] };
}

export function skillsView(tags: string[], prefix: string, changed: boolean): MessageView {
  const lead =
    tags.length === 0 ? "You have no skills set." : `${changed ? "Your skills are now" : "Your skills"}: ${tags.map(userText).join(", ")}.`;
  const hint = `The lead picker lists faculty whose skills match a request first. Set yours with \`${prefix}skills FMS BPC LOA pricing BN\`.`;
  return {
    text: lead,
    blocks: [
      { type: "text", text: lead },
      { type: "context", text: hint },
    ],
  };
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/**
 * One lead-picker option: the name and why it is where it is —
 * "Dana Ruiz · 2 matching skills · 3 open", "Lee Park · away until 20 Jan 2027 · 0 open".
 */
export function leadOptionLabel(candidate: LeadCandidate): string {
  const parts = [candidate.person.displayName];
  if (candidate.away) parts.push(`away until ${formatDay(candidate.away.to)}`);
  if (candidate.matchingSkills.length > 0) parts.push(plural(candidate.matchingSkills.length, "matching skill"));
  parts.push(`${candidate.openAssignments} open`);
  return parts.join(" · ");
}
