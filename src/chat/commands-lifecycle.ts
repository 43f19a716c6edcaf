import type { ChatCommand } from "./commands.js";

/** The grammar of what happens around a request's end: `note`, `reopen`, `merge`. */

/** The text after the first `skip` words, as typed (line breaks kept). */
function after(text: string, skip: number): string {
  let rest = text.trim();
  for (let i = 0; i < skip; i++) rest = rest.replace(/^\S+\s*/, "");
  return rest.trim();
}

/** `note MA-… <text>` and `reopen MA-… <why>`: an id, then free text kept as typed. */
export function parseIdAndText(word: "note" | "reopen", text: string): ChatCommand {
  const id = after(text, 1).split(/\s+/)[0] ?? "";
  const rest = after(text, 2);
  if (!id) return { kind: "usage", command: word, problem: "Which request?" };
  if (!rest) return { kind: "usage", command: word, problem: word === "note" ? "What is the note?" : "Why should it be reopened?" };
  return word === "note" ? { kind: "note", id, text: rest } : { kind: "reopen", id, why: rest };
}

/** `merge MA-B into MA-A` (also `merge MA-B MA-A`). */
export function parseMerge(argument: string): ChatCommand {
  const words = argument.split(/\s+/).filter((word) => word !== "" && word.toLowerCase() !== "into");
  const [from, into, extra] = words;
  if (!from || !into || extra) return { kind: "usage", command: "merge", problem: "Which request into which?" };
  return { kind: "merge", from, into };
}
