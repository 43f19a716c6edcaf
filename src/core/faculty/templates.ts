import type { CoreDeps } from "../deps.js";
import { AppError, notFoundOrNotPermitted } from "../errors.js";
import type { Actor, MaRequest } from "../model.js";
import { isFaculty } from "../permissions.js";
import type { ReplyTemplate } from "../ports.js";
import { MAX_NOTE_LENGTH } from "../requests/move-request.js";

/**
 * Faculty saved replies ("please send the LOR and the pricing annex"), offered by the Ask
 * for information and Decline forms with the request's details filled in.
 */

/** The variables a template may use, and what each is filled with. */
export const TEMPLATE_VARIABLES = {
  id: (request: MaRequest) => request.number,
  title: (request: MaRequest) => request.form.program,
  requester: (request: MaRequest) => request.requester.displayName,
  lead: (request: MaRequest) => request.lead?.displayName ?? "the faculty lead",
  start: (request: MaRequest) => request.scheduledStart ?? request.form.preferredStart,
} as const satisfies Record<string, (request: MaRequest) => string>;

export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;

export const MAX_TEMPLATE_NAME_LENGTH = 40;
/** A template must fit the smaller of the two boxes it fills (Decline's note). */
export const MAX_TEMPLATE_LENGTH = MAX_NOTE_LENGTH;

const VARIABLE = /\{([^{}\s]*)\}/g;

function requireFaculty(actor: Actor): void {
  if (!isFaculty(actor)) throw new AppError("FORBIDDEN", "Only faculty can use saved replies.");
}

const isKnown = (name: string): name is TemplateVariable => Object.hasOwn(TEMPLATE_VARIABLES, name);

/** Faculty's saved replies, by name. */
export async function listTemplates(deps: Pick<CoreDeps, "templates">, actor: Actor): Promise<ReplyTemplate[]> {
  requireFaculty(actor);
  const templates = await deps.templates.list();
  return templates.sort((a, b) => a.name.localeCompare(b.name));
}

/** Saves a reply under a new name; refuses a taken name, a text too long and any unknown `{variable}`, naming it. */
export async function addTemplate(deps: CoreDeps, actor: Actor, input: { name: string; text: string }): Promise<ReplyTemplate> {
  requireFaculty(actor);
  const name = input.name.trim();
  const text = input.text.trim();
  if (name.length === 0 || name.length > MAX_TEMPLATE_NAME_LENGTH || /\s/.test(name)) {
    throw new AppError("INVALID_INPUT", `A template name is one word of 1–${MAX_TEMPLATE_NAME_LENGTH} characters.`);
  }
  if (text.length === 0) throw new AppError("INVALID_INPUT", `Write the reply after the name: template add ${name} <text>.`);
  if (text.length > MAX_TEMPLATE_LENGTH) {
    throw new AppError("INVALID_INPUT", `A saved reply has at most ${MAX_TEMPLATE_LENGTH} characters (this one has ${text.length}).`);
  }
  const unknown = [...new Set([...text.matchAll(VARIABLE)].map((match) => match[1] ?? ""))].filter((variable) => !isKnown(variable));
  if (unknown.length > 0) {
    const known = Object.keys(TEMPLATE_VARIABLES)
      .map((variable) => `{${variable}}`)
      .join(" ");
    const names = unknown.map((variable) => `{${variable}}`).join(", ");
    throw new AppError("INVALID_INPUT", `Unknown variable ${names}. A saved reply may use ${known}.`);
  }
  const audit = { actorId: actor.id, action: "template-add", subject: name, note: text, at: deps.clock.now() };
  const saved = await deps.templates.add({ name, text, createdById: actor.id }, audit);
  if (!saved) throw new AppError("CONFLICT", `There is already a saved reply named "${name}". Remove it first to replace it.`);
  return saved;
}

export async function removeTemplate(deps: CoreDeps, actor: Actor, name: string): Promise<void> {
  requireFaculty(actor);
  const audit = { actorId: actor.id, action: "template-remove", subject: name.trim(), note: "", at: deps.clock.now() };
  if (!(await deps.templates.remove(name.trim(), audit)))
    throw new AppError("NOT_FOUND", `There is no saved reply named "${name.trim()}".`);
}

/** A template's text with the variables filled in for one request. */
export function fillTemplateText(text: string, request: MaRequest): string {
  return text.replace(VARIABLE, (whole, name: string) => (isKnown(name) ? TEMPLATE_VARIABLES[name](request) : whole));
}

/** The chosen saved reply, filled in for the request the form is about. */
export async function fillTemplate(
  deps: Pick<CoreDeps, "templates" | "requests">,
  actor: Actor,
  input: { templateId: string; requestId: string },
): Promise<{ request: MaRequest; text: string }> {
  requireFaculty(actor);
  const [template, request] = await Promise.all([deps.templates.find(input.templateId), deps.requests.findById(input.requestId)]);
  if (!request) throw notFoundOrNotPermitted("That request");
  if (!template) throw new AppError("NOT_FOUND", "That saved reply was removed; choose another.");
  return { request, text: fillTemplateText(template.text, request) };
}
