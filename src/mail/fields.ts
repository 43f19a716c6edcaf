import { REQUEST_FIELD_LABELS, requestFieldOptions } from "../chat/forms.js";
import { parseHumanDate } from "../core/dates.js";
import { type RawRequestForm, REQUEST_FIELDS, type RequestField } from "../core/requests/request-form.js";

/** Other names people use for a field, besides its form label and its own name. */
const ALIASES: Partial<Record<RequestField, string[]>> = {
  organization: ["organization", "organisation", "office"],
  component: ["component"],
  effortTypes: ["effort type", "effort"],
  supportType: ["support type", "support"],
  lifecyclePhase: ["lifecycle phase", "phase"],
  relatedCases: ["related cases", "cases", "case"],
  audienceSize: ["audience"],
  preferredStart: ["start date", "start"],
  preferredEnd: ["end date", "end"],
  deliveryMode: ["delivery mode"],
  travelFunded: ["travel funded", "travel"],
  pocName: ["poc", "point of contact name"],
  pocEmail: ["poc e-mail", "poc email", "point of contact email"],
};

const normal = (text: string) =>
  text
    .toLowerCase()
    .replace(/[_\s-]+/g, " ")
    .trim();

/** Every name a `Label:` line may use, to its field. */
const LABELS = new Map<string, RequestField>(
  REQUEST_FIELDS.flatMap((field) => [
    [normal(REQUEST_FIELD_LABELS.get(field) ?? field), field] as const,
    [normal(field.replace(/([A-Z])/g, " $1")), field] as const,
    ...(ALIASES[field] ?? []).map((alias) => [normal(alias), field] as const),
  ]),
);

/** A date as people write it (the core's reading, as `away` takes it); a closing full stop is a sentence's. */
export function parseWrittenDate(text: string): string | undefined {
  return parseHumanDate(text.trim().replace(/\.$/, ""));
}

/** A choice written as its label or its code ("On site", "ON_SITE", "on-site") → its code. */
function choiceValue(field: RequestField, text: string): string {
  const options = requestFieldOptions(field) ?? [];
  const wanted = normal(text);
  return options.find((option) => normal(option.label) === wanted || normal(option.value) === wanted)?.value ?? text;
}

function fieldValue(field: RequestField, text: string): unknown {
  switch (field) {
    case "preferredStart":
    case "preferredEnd":
      return parseWrittenDate(text) ?? text;
    case "effortTypes":
      return text
        .split(/[,;]|\band\b/)
        .map((item) => item.trim())
        .filter(Boolean)
        .map((item) => choiceValue(field, item));
    case "component":
    case "supportType":
    case "lifecyclePhase":
    case "deliveryMode":
      return choiceValue(field, text);
    default:
      return text;
  }
}

/**
 * Splits a mail's text into the form fields its `Label: value` lines give (labels of the
 * request form, case-insensitive) and the rest, which describes the request.
 */
export function extractFields(text: string): { raw: RawRequestForm; rest: string } {
  const raw: RawRequestForm = {};
  const rest: string[] = [];
  for (const line of text.split("\n")) {
    const match = /^\s*([A-Za-z][A-Za-z /()&.'-]{0,60}?)\s*:\s*(.*?)\s*$/.exec(line);
    const field = match ? LABELS.get(normal(match[1] ?? "")) : undefined;
    if (!match || !field) {
      rest.push(line);
      continue;
    }
    // An empty line ("Start date:") is a field left to fill in: nothing given.
    if ((match[2] ?? "") !== "") raw[field] = fieldValue(field, match[2] ?? "");
  }
  return {
    raw,
    rest: rest
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim(),
  };
}
