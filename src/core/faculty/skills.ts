import type { CoreDeps } from "../deps.js";
import { AppError } from "../errors.js";
import { parseCaseId } from "../ids/case-id.js";
import type { Actor, MaRequest } from "../model.js";
import { isFaculty } from "../permissions.js";

/**
 * What faculty cover (`skills FMS BPC LOA pricing BN`), matched against what a request is
 * about to order the lead picker.
 */

export const MAX_SKILLS = 40;
export const MAX_SKILL_LENGTH = 40;
const TAG = /^[\p{L}\p{N}][\p{L}\p{N}&+._-]*$/u;

/** Words of a title that say nothing about the work. */
const STOP_WORDS = new Set(["a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"]);

/** Tags as people type them, comma or space separated, `#` optional: lower case, each once. */
export function normaliseTags(words: readonly string[]): string[] {
  return [
    ...new Set(
      words
        .flatMap((word) => word.split(/[\s,]+/))
        .map((word) => word.replace(/^#/, "").toLowerCase())
        .filter(Boolean),
    ),
  ];
}

/** Replaces the actor's skills; returns them as stored. */
export async function setSkills(deps: CoreDeps, actor: Actor, words: readonly string[]): Promise<string[]> {
  if (!isFaculty(actor)) throw new AppError("FORBIDDEN", "Only faculty can set skills.");
  const tags = normaliseTags(words);
  const bad = tags.find((tag) => tag.length > MAX_SKILL_LENGTH || !TAG.test(tag));
  if (bad !== undefined)
    throw new AppError("INVALID_INPUT", `"${bad.slice(0, 60)}" is not a tag: letters and digits, at most ${MAX_SKILL_LENGTH} characters.`);
  if (tags.length > MAX_SKILLS) throw new AppError("INVALID_INPUT", `At most ${MAX_SKILLS} skills.`);
  await deps.skills.set(actor.id, tags, {
    actorId: actor.id,
    action: "skills",
    subject: actor.id,
    note: tags.join(" "),
    at: deps.clock.now(),
  });
  return tags;
}

export async function mySkills(deps: CoreDeps, actor: Actor): Promise<string[]> {
  if (!isFaculty(actor)) throw new AppError("FORBIDDEN", "Only faculty have skills.");
  return deps.skills.listFor(actor.id);
}

/**
 * What a request is about, as tags: each related case's country code and implementing
 * agency letter, its effort and support types, and the words of its title (the program).
 */
export function requestTags(request: MaRequest): Set<string> {
  const tags = new Set<string>();
  for (const caseText of request.form.relatedCases) {
    const parsed = parseCaseId(caseText);
    if (!parsed.ok) continue;
    tags.add(parsed.value.customerCode.toLowerCase());
    tags.add(parsed.value.agency.toLowerCase());
  }
  for (const effort of request.form.effortTypes) tags.add(effort.toLowerCase());
  tags.add(request.form.supportType.toLowerCase());
  for (const word of request.form.program.toLowerCase().split(/[^\p{L}\p{N}&+._-]+/u)) {
    if (word.length > 1 && !STOP_WORDS.has(word)) tags.add(word);
  }
  return tags;
}
