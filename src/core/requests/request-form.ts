import { z } from "zod";
import { addDays, isIsoDate } from "../dates.js";
import { DELIVERY_MODES, DOD_COMPONENTS, EFFORT_TYPES, LIFECYCLE_PHASES, labelOf, SUPPORT_TYPES } from "../domain.js";
import type { FieldErrors } from "../errors.js";
import { caseIdProblem, caseIdProblems, parseCaseId } from "../ids/case-id.js";
import type { IsoDate, RequestForm } from "../model.js";
import { MAX_RELATED_CASES, oversizedFields, REQUEST_TEXT_LIMITS, tooLongMessage } from "./request-limits.js";

/** The request form's field names: adapters key their inputs and error messages by these. */
export const REQUEST_FIELDS = [
  "organization",
  "component",
  "program",
  "effortTypes",
  "supportType",
  "lifecyclePhase",
  "relatedCases",
  "problemStatement",
  "desiredOutcome",
  "audienceSize",
  "preferredStart",
  "preferredEnd",
  "deliveryMode",
  "location",
  "travelFunded",
  "pocName",
  "pocEmail",
] as const satisfies readonly (keyof RequestForm)[];
export type RequestField = (typeof REQUEST_FIELDS)[number];

/** Raw form values as adapters collect them: strings, string lists, booleans. */
export type RawRequestForm = Partial<Record<RequestField, unknown>>;

export { MAX_RELATED_CASES } from "./request-limits.js";

/** How far ahead a request may ask for dates: far enough for a fiscal year's planning. */
const MAX_DAYS_AHEAD = 730;

const text = (label: string, min: number, max: number) =>
  z
    .string({ required_error: `${label} is required`, invalid_type_error: `${label} is required` })
    .trim()
    .min(min, min === 1 ? `${label} is required` : `${label} needs at least ${min} characters`)
    .max(max, tooLongMessage(label, max));

/** `article` + `noun` as the message should read: "Choose a DoD component". */
const choice = <T extends readonly [string, ...string[]]>(noun: string, values: T) =>
  z.enum(values, { errorMap: () => ({ message: `Choose ${noun}` }) });

const optionalText = (label: string, max: number) =>
  z.preprocess((value) => (value === undefined || value === null ? "" : value), z.string().trim().max(max, tooLongMessage(label, max)));

const isoDate = (label: string) =>
  z
    .string({ required_error: `${label} is required`, invalid_type_error: `${label} is required` })
    .trim()
    .refine((value) => value !== "", `${label} is required`)
    .refine((value) => value === "" || isIsoDate(value), `${label} must be a date (YYYY-MM-DD)`);

/** Accepts a list, or text separated by commas, spaces or new lines. */
const listOf = (value: unknown): unknown => {
  if (value === undefined || value === null || value === "") return [];
  if (typeof value === "string")
    return value
      .split(/[,;\n]+/)
      .map((item) => item.trim())
      .filter(Boolean);
  return value;
};

const booleanish = (value: unknown): unknown => {
  if (typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "string") return ["true", "yes", "on", "1", "confirmed"].includes(value.trim().toLowerCase());
  return false;
};

/** The field rules; built once (building them showed in the submission profile). */
const BASE_SCHEMA = z.object({
  organization: text("Organization", REQUEST_TEXT_LIMITS.organization.min, REQUEST_TEXT_LIMITS.organization.max),
  component: choice("a DoD component", DOD_COMPONENTS),
  program: text("Program", REQUEST_TEXT_LIMITS.program.min, REQUEST_TEXT_LIMITS.program.max),
  effortTypes: z.preprocess(
    listOf,
    z
      .array(z.enum(EFFORT_TYPES, { errorMap: () => ({ message: `Effort types are ${EFFORT_TYPES.map(labelOf).join(", ")}` }) }))
      .min(1, "Choose at least one effort type")
      .transform((items) => [...new Set(items)]),
  ),
  supportType: choice("a support type", SUPPORT_TYPES),
  lifecyclePhase: choice("a lifecycle phase", LIFECYCLE_PHASES),
  relatedCases: z.preprocess(listOf, z.array(z.string()).max(MAX_RELATED_CASES, `At most ${MAX_RELATED_CASES} related cases`)),
  problemStatement: text("Problem statement", REQUEST_TEXT_LIMITS.problemStatement.min, REQUEST_TEXT_LIMITS.problemStatement.max),
  desiredOutcome: optionalText("Desired outcome", REQUEST_TEXT_LIMITS.desiredOutcome.max),
  audienceSize: z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? Number(value.trim()) : value),
    z
      .number({ required_error: "Audience size is required", invalid_type_error: "Audience size must be a whole number" })
      .int("Audience size must be a whole number")
      .min(1, "Audience size is at least 1")
      .max(500, "Audience size is at most 500"),
  ),
  preferredStart: isoDate("Start date"),
  preferredEnd: isoDate("End date"),
  deliveryMode: choice("a delivery mode", DELIVERY_MODES),
  location: optionalText("Location", REQUEST_TEXT_LIMITS.location.max),
  travelFunded: z.preprocess(booleanish, z.boolean()),
  pocName: text("Point of contact name", REQUEST_TEXT_LIMITS.pocName.min, REQUEST_TEXT_LIMITS.pocName.max),
  pocEmail: z
    .string({ required_error: "Point of contact e-mail is required", invalid_type_error: "Point of contact e-mail is required" })
    .trim()
    .email("Point of contact e-mail must be a valid address")
    .max(REQUEST_TEXT_LIMITS.pocEmail.max, tooLongMessage("Point of contact e-mail", REQUEST_TEXT_LIMITS.pocEmail.max)),
});

/** The parts of a form the cross-field rules read, each present only when valid on its own. */
interface CrossFieldInput {
  preferredStart?: IsoDate;
  preferredEnd?: IsoDate;
  deliveryMode?: string;
  location: string;
  travelFunded: boolean;
  relatedCases: string[];
}

/**
 * Rules that span fields. They run in the same pass as the field rules, on whatever
 * fields are valid on their own, so a person sees every problem at once.
 */
function crossFieldErrors(form: CrossFieldInput, today: IsoDate): FieldErrors {
  const errors: FieldErrors = {};
  const { preferredStart: start, preferredEnd: end } = form;
  if (start !== undefined && start < today) errors.preferredStart = "Start date cannot be in the past";
  else if (start !== undefined && start > addDays(today, MAX_DAYS_AHEAD)) errors.preferredStart = "Start date is more than two years away";
  if (start !== undefined && end !== undefined && end < start) errors.preferredEnd = "End date must be on or after the start date";
  const inPerson = form.deliveryMode !== undefined && form.deliveryMode !== "VIRTUAL";
  if (inPerson && form.location === "") errors.location = "Location is required for on-site and hybrid support";
  if (inPerson && !form.travelFunded) {
    errors.travelFunded = "Confirm that your office funds travel and incidental costs (required for on-site and hybrid support)";
  }
  // Every malformed id is named with its own reason, so one correction fixes them all.
  const problems = form.relatedCases.flatMap((caseId) => {
    const result = parseCaseId(caseId);
    return result.ok ? [] : [{ caseId, message: result.message }];
  });
  if (problems.length === 1 && problems[0]) errors.relatedCases = caseIdProblem(problems[0].caseId, problems[0].message);
  if (problems.length > 1) errors.relatedCases = caseIdProblems(problems);
  return errors;
}

/** The cross-field input read straight from raw values: each part only if it is valid alone. */
function rawCrossFieldInput(raw: RawRequestForm): CrossFieldInput {
  const date = (value: unknown) => (typeof value === "string" && isIsoDate(value.trim()) ? value.trim() : undefined);
  const mode =
    typeof raw.deliveryMode === "string" && (DELIVERY_MODES as readonly string[]).includes(raw.deliveryMode) ? raw.deliveryMode : undefined;
  const related = listOf(raw.relatedCases);
  return {
    preferredStart: date(raw.preferredStart),
    preferredEnd: date(raw.preferredEnd),
    deliveryMode: mode,
    location: typeof raw.location === "string" ? raw.location.trim() : "",
    travelFunded: booleanish(raw.travelFunded) === true,
    relatedCases: Array.isArray(related) ? related.map(String) : [],
  };
}

export type FormValidation = { ok: true; form: RequestForm } | { ok: false; fieldErrors: FieldErrors };

/**
 * Validates a submitted form. Errors are keyed by field so each adapter can show them
 * beside the right input; every field and every cross-field rule is checked in one pass.
 */
export function validateRequestForm(raw: RawRequestForm, today: IsoDate): FormValidation {
  const oversized = oversizedFields(raw);
  if (Object.keys(oversized).length > 0) return { ok: false, fieldErrors: oversized };
  const parsed = BASE_SCHEMA.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "form");
      fieldErrors[field] ??= issue.message;
    }
    // A field's own error comes first; the cross-field rules fill in the rest.
    return { ok: false, fieldErrors: { ...crossFieldErrors(rawCrossFieldInput(raw), today), ...fieldErrors } };
  }
  const form: RequestForm = {
    ...parsed.data,
    location: parsed.data.deliveryMode === "VIRTUAL" ? "" : parsed.data.location,
    travelFunded: parsed.data.deliveryMode === "VIRTUAL" ? false : parsed.data.travelFunded,
    relatedCases: parsed.data.relatedCases,
  };
  const errors = crossFieldErrors(form, today);
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  form.relatedCases = [
    ...new Set(
      form.relatedCases.map((caseId) => {
        const result = parseCaseId(caseId);
        return result.ok ? result.value.id : caseId;
      }),
    ),
  ];
  return { ok: true, form };
}

/** The form's values as strings, to prefill an edit form or redisplay one with errors. */
export function formToRaw(form: RequestForm): RawRequestForm {
  return { ...form, audienceSize: String(form.audienceSize) };
}

/** One field's value checked alone (a form from free text keeps each field that is valid). */
export function parseRequestField(field: RequestField, value: unknown): { ok: true; value: unknown } | { ok: false } {
  const parsed = BASE_SCHEMA.shape[field].safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false };
}
