import { parseHumanDate } from "../core/dates.js";
import type { ChatCommand } from "./commands.js";

/** The faculty workbench's grammar: `away …` and `template add|remove …`. */

/** Words between two dates: `away 12 Jan 2027 to 20 Jan 2027`. */
const DATE_JOINERS = new Set(["to", "until", "till", "through", "thru", "-", "–", "—"]);

/** The first date at the start of `words` (one word, or three: `12 Jan 2027`) and how many words it took. */
function leadingDate(words: readonly string[]): { day: string; used: number } | undefined {
  for (const used of [1, 3]) {
    const day = parseHumanDate(words.slice(0, used).join(" "));
    if (day && words.length >= used) return { day, used };
  }
  return undefined;
}

const DATE_HELP = "Write dates like 2027-01-12, 12 Jan 2027 or 1/12/2027.";

export function parseAway(argument: string): ChatCommand {
  if (/^off$/i.test(argument)) return { kind: "away-off" };
  const backupAt = /(?:^|\s)backup\s+(\S.*)$/i.exec(argument);
  const rest = backupAt ? argument.slice(0, backupAt.index) : argument;
  const words = rest.split(/\s+/).filter(Boolean);
  const from = leadingDate(words);
  if (!from)
    return {
      kind: "usage",
      command: "away",
      problem: words.length === 0 ? "From when, to when?" : `"${words[0]}" is not a date. ${DATE_HELP}`,
    };
  let next = words.slice(from.used);
  if (DATE_JOINERS.has((next[0] ?? "").toLowerCase())) next = next.slice(1);
  const to = leadingDate(next);
  if (!to) return { kind: "usage", command: "away", problem: `Until when? ${DATE_HELP}` };
  const note = next.slice(to.used).join(" ");
  return { kind: "away", from: from.day, to: to.day, note, ...(backupAt ? { backup: (backupAt[1] ?? "").trim() } : {}) };
}

export function parseTemplate(text: string, argument: string): ChatCommand {
  const add = /^\S+\s+add\s+(\S+)\s*([\s\S]*)$/i.exec(text);
  if (add) {
    const [, name = "", body = ""] = add;
    return body.trim()
      ? { kind: "template-add", name, text: body.trim() }
      : { kind: "usage", command: "template", problem: `What should "${name}" say?` };
  }
  const remove = /^remove\s+(\S+)$/i.exec(argument);
  if (remove) return { kind: "template-remove", name: remove[1] ?? "" };
  return { kind: "usage", command: "template", problem: "Add or remove which saved reply?" };
}

/** A mention of the backup (`<at>Dana Ruiz</at>`, `<@U123|dana>`) becomes `@name`, so stripping mentions keeps it. */
export function keepBackupMention(input: string): string {
  return input.replace(/\bbackup\s+<at>([^<]*)<\/at>/gi, "backup @$1").replace(/\bbackup\s+<@([A-Z0-9]+)(?:\|[^<>]*)?>/gi, "backup @$1");
}
