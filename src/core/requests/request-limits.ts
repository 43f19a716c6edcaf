import { EFFORT_TYPES } from "../domain.js";
import type { FieldErrors } from "../errors.js";
import type { RawRequestForm, RequestField } from "./request-form.js";

/** At most this many related cases; also the cap checked before a list is split or read. */
export const MAX_RELATED_CASES = 20;

/**
 * The length limits of the request form's text fields: its rules (request-form.ts) check
 * them, and the forms show them ("up to 3,000 characters") from these same numbers.
 */
export const REQUEST_TEXT_LIMITS = {
  organization: { min: 2, max: 200 },
  program: { min: 2, max: 200 },
  problemStatement: { min: 20, max: 3000 },
  desiredOutcome: { min: 0, max: 1000 },
  location: { min: 0, max: 200 },
  pocName: { min: 2, max: 120 },
  pocEmail: { min: 0, max: 254 },
} as const satisfies Partial<Record<RequestField, { min: number; max: number }>>;

/** "3,000": limits as people read them, in messages and hints alike. */
export const formatCount = (count: number) => count.toLocaleString("en-US");

/** "Problem statement can have at most 3,000 characters": the one wording of a length refusal. */
export const tooLongMessage = (label: string, max: number) => `${label} can have at most ${formatCount(max)} characters`;

/** Long enough for 20 case ids with suffixes, spaces and separators (`bn b saa a01, `). */
const MAX_RELATED_CASES_TEXT = MAX_RELATED_CASES * 20;
/** Any other raw value: no field takes more than 3,000 characters, so this leaves room for spaces trimmed. */
const MAX_RAW_TEXT = 4_000;
const MAX_RAW_LIST = EFFORT_TYPES.length * 2;

/**
 * Sizes checked before anything is split, trimmed or parsed: a 1 MB related-cases value
 * was split into 100,000 ids and each parsed (about 1.5 s of a blocked event loop) before
 * the 20-item rule saw it. Reads only lengths, never the items.
 */
export function oversizedFields(raw: RawRequestForm): FieldErrors {
  const errors: FieldErrors = {};
  for (const [field, value] of Object.entries(raw)) {
    const related = field === "relatedCases";
    if (typeof value === "string" && value.length > (related ? MAX_RELATED_CASES_TEXT : MAX_RAW_TEXT)) {
      const limit = (REQUEST_TEXT_LIMITS as Partial<Record<string, { max: number }>>)[field]?.max;
      errors[field] = related
        ? `At most ${MAX_RELATED_CASES} related cases`
        : limit
          ? `At most ${formatCount(limit)} characters (this has ${formatCount(value.length)})`
          : "This is far longer than the field allows";
    } else if (Array.isArray(value) && value.length > (related ? MAX_RELATED_CASES : MAX_RAW_LIST)) {
      errors[field] = related ? `At most ${MAX_RELATED_CASES} related cases` : "Too many choices";
    }
  }
  return errors;
}
