import { parseIdAndText, parseMerge } from "./commands-lifecycle.js";
import { keepBackupMention, parseAway, parseTemplate } from "./commands-workbench.js";

/**
 * The words users type after `/ma` (Slack) or to the bot (Teams), parsed into typed
 * commands. Tolerant of case, extra spaces and a leading @mention.
 */

export type ChatCommand =
  | { kind: "help" }
  | { kind: "new" }
  | { kind: "list" }
  | { kind: "show"; id: string }
  | { kind: "queue" }
  | { kind: "case"; id: string }
  | { kind: "subscribe"; target: string }
  /** `in <conversation>`: an admin stopping another conversation's reminders. */
  | { kind: "unsubscribe"; target: string; conversation?: string }
  | { kind: "subscriptions"; all: boolean }
  | { kind: "upcoming"; days?: number }
  | { kind: "triage-here" }
  | { kind: "status" }
  /** The service report for a period of days (YYYY-MM-DD); defaults filled in by the handler. */
  | { kind: "report"; from?: string; to?: string }
  /** My requests, assignments, availability, the queue and sessions ahead (answered privately). */
  | { kind: "home" }
  | { kind: "templates" }
  | { kind: "template-add"; name: string; text: string }
  | { kind: "template-remove"; name: string }
  /** Days as YYYY-MM-DD; `backup` as typed (`@dana.ruiz`, a name or a user id). */
  | { kind: "away"; from: string; to: string; note: string; backup?: string }
  | { kind: "away-off" }
  /** No tags: show mine. */
  | { kind: "skills"; tags: string[] }
  /** Legal hold (admins): never purged while held. `id` as typed (MA-2026-0007). */
  | { kind: "hold"; id: string; why: string }
  | { kind: "release"; id: string }
  | { kind: "note"; id: string; text: string }
  | { kind: "reopen"; id: string; why: string }
  | { kind: "merge"; from: string; into: string }
  /** Known word, missing or bad argument: answer with that command's usage. */
  | { kind: "usage"; command: CommandWord; problem: string }
  /** Anything else: help, with a suggestion when a word is close to a command. */
  | { kind: "unknown"; text: string; suggestion?: CommandWord };

export const COMMAND_WORDS = [
  "help",
  "new",
  "list",
  "show",
  "queue",
  "case",
  "subscribe",
  "unsubscribe",
  "subscriptions",
  "upcoming",
  "triage-here",
  "status",
  "report",
  "home",
  "templates",
  "template",
  "away",
  "skills",
  "hold",
  "release",
  "note",
  "reopen",
  "merge",
] as const;
export type CommandWord = (typeof COMMAND_WORDS)[number];

/** One line of help per command: what to type and what it does. */
export const COMMAND_HELP: Readonly<Record<CommandWord, { usage: string; does: string }>> = {
  help: { usage: "help", does: "what the bot does and where to learn more" },
  new: { usage: "new", does: "open the Mission Assistance request form" },
  list: { usage: "list", does: "your requests and their status" },
  show: { usage: "show MA-2026-0007", does: "one request with its history" },
  queue: { usage: "queue", does: "requests waiting for triage, oldest first (faculty)" },
  case: { usage: "case BN-D-YAB", does: "an FMS/BPC case: status, milestones, linked requests (answered privately)" },
  subscribe: { usage: "subscribe BN-D-YAB | MA-2026-0007", does: "this channel gets that case's or request's reminders" },
  unsubscribe: { usage: "unsubscribe BN-D-YAB | MA-2026-0007", does: "stop those reminders (admins: … in <channel id>)" },
  subscriptions: { usage: "subscriptions [all]", does: "what this conversation gets reminders for (admins: all)" },
  upcoming: { usage: "upcoming [days]", does: "milestones due in the next days (default 14)" },
  "triage-here": { usage: "triage-here", does: "make this channel the faculty triage channel (admin)" },
  status: { usage: "status", does: "the bot's own checks: tokens, triage channel, database, reminders (admin)" },
  report: { usage: "report [from] [to]", does: "requests, times to triage and delivery, service levels (faculty; last 30 days)" },
  home: { usage: "home", does: "your requests, assignments, availability, the queue and sessions ahead (answered privately)" },
  templates: { usage: "templates", does: "faculty saved replies for Ask for information and Decline" },
  template: {
    usage: "template add NAME <text> | template remove NAME",
    does: "save or remove a reply; {id} {title} {requester} {lead} {start} are filled in (faculty)",
  },
  away: {
    usage: "away <from> <to> [note] [backup @someone] | away off",
    does: "when you are away: never suggested as lead, nudges go to your backup or the admins (faculty)",
  },
  skills: {
    usage: "skills <tags…>",
    does: "what you cover, e.g. FMS BPC LOA pricing BN: the lead picker lists matching faculty first (faculty)",
  },
  hold: { usage: "hold MA-2026-0007 <why>", does: "a legal hold: the request is never purged while held (admin)" },
  release: { usage: "release MA-2026-0007", does: "end a legal hold (admin)" },
  note: {
    usage: "note MA-2026-0007 <text>",
    does: "an internal note: on the triage card and in show, never shown to the requester (faculty)",
  },
  reopen: {
    usage: "reopen MA-2026-0007 <why>",
    does: "bring back a delivered or declined request soon after it closed (its requester or faculty)",
  },
  merge: { usage: "merge MA-2026-0008 into MA-2026-0007", does: "close a duplicate; its requester follows the other (faculty)" },
};

const ALIASES: Readonly<Record<string, CommandWord>> = {
  "?": "help",
  request: "new",
  mine: "list",
  triage: "queue",
  due: "upcoming",
  triage_here: "triage-here",
  triagehere: "triage-here",
  replies: "templates",
  availability: "away",
  skill: "skills",
};

/** Longer command text is refused before any parsing: no command needs more. */
export const MAX_COMMAND_LENGTH = 2_000;

/**
 * Removes Slack `<@U123>` / `<@U123|name>` and Teams `<at>Name</at>` mentions, and a
 * leading `/ma`. Linear time: a mention's name stops at the next `<` as well as at `>`,
 * so text like `<@A|<@A|…` cannot make the pattern rescan the rest of the input.
 */
export function stripMentions(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, " ")
    .replace(/<@[A-Z0-9]+(\|[^<>]*)?>/gi, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/^\s*\/?ma\b(?=\s|$)/i, " ")
    .trim();
}

/** Edit distance counting a swap of two neighbours as one edit ("lsit" → "list" is 1). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The command a mistyped word was probably meant to be. */
export function suggestCommand(word: string): CommandWord | undefined {
  if (word.length < 2) return undefined;
  let best: { word: CommandWord; cost: number } | undefined;
  for (const candidate of COMMAND_WORDS) {
    const cost = distance(word, candidate);
    if (cost <= Math.max(1, Math.floor(candidate.length / 3)) && (!best || cost < best.cost)) best = { word: candidate, cost };
  }
  return best?.word;
}

export function parseCommand(input: string): ChatCommand {
  if (input.length > MAX_COMMAND_LENGTH) return { kind: "unknown", text: input.slice(0, 40) };
  const text = stripMentions(keepBackupMention(input));
  const [first = "", ...rest] = text.split(/\s+/).filter(Boolean);
  const lowered = first.toLowerCase();
  const word = (COMMAND_WORDS as readonly string[]).includes(lowered) ? (lowered as CommandWord) : ALIASES[lowered];
  const argument = rest.join(" ").trim();
  if (text === "") return { kind: "help" };
  if (!word) return { kind: "unknown", text, suggestion: suggestCommand(lowered) };
  switch (word) {
    case "help":
    case "new":
    case "list":
    case "queue":
    case "triage-here":
    case "status":
    case "home":
    case "templates":
      return { kind: word };
    case "template":
      return parseTemplate(text, argument);
    case "away":
      return parseAway(argument);
    case "skills":
      return { kind: "skills", tags: argument.split(/[\s,]+/).filter(Boolean) };
    case "note":
    case "reopen":
      return parseIdAndText(word, text);
    case "merge":
      return parseMerge(argument);
    case "show":
    case "case":
      return argument
        ? { kind: word, id: argument }
        : { kind: "usage", command: word, problem: `Which ${word === "show" ? "request" : "case"}?` };
    case "subscribe":
      return argument ? { kind: word, target: argument } : { kind: "usage", command: word, problem: "Which case or request?" };
    case "unsubscribe": {
      const [target = "", conversation] = argument.split(/\s+in\s+/i);
      if (!target) return { kind: "usage", command: word, problem: "Which case or request?" };
      // A Slack channel reference (<#C0123|name>) or a bare id.
      const id = conversation?.replace(/^<#([A-Z0-9]+)(\|[^<>]*)?>$/i, "$1").trim();
      return id ? { kind: word, target, conversation: id } : { kind: word, target };
    }
    case "subscriptions":
      return { kind: word, all: argument.toLowerCase() === "all" };
    case "hold": {
      const [id = "", ...why] = rest;
      if (!id) return { kind: "usage", command: word, problem: "Which request?" };
      return why.length > 0 ? { kind: word, id, why: why.join(" ") } : { kind: "usage", command: word, problem: "Say why it is held." };
    }
    case "release":
      return argument ? { kind: word, id: argument } : { kind: "usage", command: word, problem: "Which request?" };
    case "report": {
      const [from, to, extra] = argument.split(/\s+/).filter(Boolean);
      if (extra || [from, to].some((day) => day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(day))) {
        return { kind: "usage", command: word, problem: "Give the period as dates, YYYY-MM-DD: from, and optionally to." };
      }
      return { kind: "report", from, to };
    }
    case "upcoming": {
      if (!argument) return { kind: "upcoming" };
      const days = Number(argument.replace(/\s*days?$/i, ""));
      return Number.isInteger(days) && days > 0
        ? { kind: "upcoming", days }
        : { kind: "usage", command: word, problem: `"${argument}" is not a number of days.` };
    }
  }
}
