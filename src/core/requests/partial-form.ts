import type { FieldErrors } from "../errors.js";
import { parseCaseId } from "../ids/case-id.js";
import type { IsoDate, RequestForm } from "../model.js";
import { parseRequestField, type RawRequestForm, REQUEST_FIELDS, type RequestField, validateRequestForm } from "./request-form.js";

/** A field's value while it is missing: what a free-text request stores until it is given. */
const BLANK: RequestForm = {
  organization: "",
  component: "" as RequestForm["component"],
  program: "",
  effortTypes: [],
  supportType: "" as RequestForm["supportType"],
  lifecyclePhase: "" as RequestForm["lifecyclePhase"],
  relatedCases: [],
  problemStatement: "",
  desiredOutcome: "",
  audienceSize: 0,
  preferredStart: "",
  preferredEnd: "",
  deliveryMode: "" as RequestForm["deliveryMode"],
  location: "",
  travelFunded: false,
  pocName: "",
  pocEmail: "",
};

/**
 * A form from free text (a mail): every field that is valid is kept, every one that is
 * missing or wrong is left blank and named, so faculty see what is still needed and the
 * requester can be asked for exactly those fields. `refused` are the fields that were given
 * but refused, each with why ("Problem statement can have at most 3,000 characters"): a
 * free-text request names them to its sender, not only as missing. One validation gives
 * both (it was a tenth of a mail pass's CPU when run twice).
 */
export function partialRequestForm(
  raw: RawRequestForm,
  today: IsoDate,
): { form: RequestForm; missing: RequestField[]; refused: FieldErrors } {
  const validation = validateRequestForm(raw, today);
  if (validation.ok) return { form: validation.form, missing: [], refused: {} };
  const missing = REQUEST_FIELDS.filter((field) => field in validation.fieldErrors);
  const refused = Object.fromEntries(Object.entries(validation.fieldErrors).filter(([field]) => isGiven(raw[field as RequestField])));
  // The valid fields, each parsed alone (the whole form did not parse).
  const form: RequestForm = { ...BLANK };
  for (const field of REQUEST_FIELDS) {
    if (missing.includes(field)) continue;
    const parsed = parseRequestField(field, raw[field]);
    if (parsed.ok) Object.assign(form, { [field]: parsed.value });
  }
  form.relatedCases = missing.includes("relatedCases")
    ? []
    : [
        ...new Set(
          form.relatedCases.map((caseId) => {
            const result = parseCaseId(caseId);
            return result.ok ? result.value.id : caseId;
          }),
        ),
      ];
  return { form, missing, refused };
}

/** Whether a form value was given at all (a blank stored for a missing field was not). */
export function isGiven(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "string") return value.trim() !== "";
  if (Array.isArray(value)) return value.length > 0;
  return true;
}
