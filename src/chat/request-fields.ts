import { DELIVERY_MODES, DOD_COMPONENTS, EFFORT_TYPES, LIFECYCLE_PHASES, labelOf, SUPPORT_TYPES } from "../core/domain.js";
import type { RequestField } from "../core/requests/request-form.js";
import { formatCount, MAX_RELATED_CASES, REQUEST_TEXT_LIMITS } from "../core/requests/request-limits.js";
import type { FieldView } from "./views.js";

/** The request form's inputs: labels, hints and limits, shared by the form, mail and cards. */

export const options = (values: readonly string[]) => values.map((value) => ({ value, label: labelOf(value) }));

/**
 * A text box's limit, shown before anyone types or pastes ("Up to 3,000 characters."), from
 * the numbers the server checks: `maxLength` and the words of the hint together.
 */
export function limited(limit: { min?: number; max: number }, before = ""): Pick<FieldView, "maxLength" | "hint"> {
  const range =
    limit.min && limit.min > 2
      ? `At least ${formatCount(limit.min)}, up to ${formatCount(limit.max)} characters.`
      : `Up to ${formatCount(limit.max)} characters.`;
  return { maxLength: limit.max, hint: before ? `${before} ${range}` : range };
}

/** The request form's inputs, in the order people fill them in. */
export const REQUEST_FIELD_VIEWS: ReadonlyArray<Omit<FieldView, "value" | "error"> & { name: RequestField }> = [
  {
    name: "organization",
    label: "Requesting organization",
    kind: "text",
    required: true,
    placeholder: "e.g. PEO Soldier, International Programs",
    ...limited(REQUEST_TEXT_LIMITS.organization),
  },
  {
    name: "component",
    label: "DoD component",
    kind: "select",
    required: true,
    options: options(DOD_COMPONENTS),
    hint: "Mission Assistance is for DoD components; OTHER gets an eligibility check.",
  },
  {
    name: "program",
    label: "Program",
    kind: "text",
    required: true,
    placeholder: "Program or system name",
    ...limited(REQUEST_TEXT_LIMITS.program),
  },
  { name: "effortTypes", label: "Effort types", kind: "multiselect", required: true, options: options(EFFORT_TYPES) },
  { name: "supportType", label: "Support needed", kind: "select", required: true, options: options(SUPPORT_TYPES) },
  { name: "lifecyclePhase", label: "Where the effort is", kind: "select", required: true, options: options(LIFECYCLE_PHASES) },
  {
    name: "relatedCases",
    label: "Related FMS/BPC cases",
    kind: "text",
    required: false,
    placeholder: "e.g. BN-B-SAA, BN-D-YAB",
    hint: `Case ids like BN-B-SAA, separated by commas; up to ${MAX_RELATED_CASES}.`,
  },
  {
    name: "problemStatement",
    label: "Problem statement",
    kind: "textarea",
    required: true,
    ...limited(REQUEST_TEXT_LIMITS.problemStatement, "What do you need help with?"),
  },
  {
    name: "desiredOutcome",
    label: "Desired outcome",
    kind: "textarea",
    required: false,
    ...limited(REQUEST_TEXT_LIMITS.desiredOutcome),
  },
  { name: "audienceSize", label: "Audience size", kind: "number", required: true, hint: "How many people, 1–500." },
  { name: "preferredStart", label: "Preferred start", kind: "date", required: true },
  { name: "preferredEnd", label: "Preferred end", kind: "date", required: true },
  { name: "deliveryMode", label: "Delivery", kind: "select", required: true, options: options(DELIVERY_MODES) },
  {
    name: "location",
    label: "Location",
    kind: "text",
    required: false,
    ...limited(REQUEST_TEXT_LIMITS.location, "Required for on-site and hybrid support."),
  },
  {
    name: "travelFunded",
    groupLabel: "Travel funding",
    label: "Our office funds faculty travel and incidental costs (required for on-site or hybrid)",
    kind: "checkbox",
    required: false,
    hint: "Required for on-site and hybrid support.",
  },
  { name: "pocName", label: "Point of contact", kind: "text", required: true, ...limited(REQUEST_TEXT_LIMITS.pocName) },
  {
    name: "pocEmail",
    label: "Point of contact e-mail",
    kind: "email",
    required: true,
    placeholder: "name@agency.mil",
    ...limited(REQUEST_TEXT_LIMITS.pocEmail),
  },
];

/**
 * Each request field's label as people read it on the form ("Preferred start"): a mail's
 * `Field: value` lines use these, and the reply asking for missing fields names them so.
 */
export const REQUEST_FIELD_LABELS: ReadonlyMap<RequestField, string> = new Map(
  REQUEST_FIELD_VIEWS.map((field) => [field.name, field.groupLabel ?? field.label]),
);

/** The allowed values of a choice field, with their labels; undefined for free-text fields. */
export function requestFieldOptions(name: RequestField): ReadonlyArray<{ value: string; label: string }> | undefined {
  return REQUEST_FIELD_VIEWS.find((field) => field.name === name)?.options;
}
