import { DECLINE_REASONS, DELIVERY_MODES, DOD_COMPONENTS, EFFORT_TYPES, LIFECYCLE_PHASES, labelOf, SUPPORT_TYPES } from "../core/domain.js";
import type { FieldErrors } from "../core/errors.js";
import type { LeadPicker } from "../core/faculty/lead-candidates.js";
import type { MaRequest } from "../core/model.js";
import type { ReplyTemplate } from "../core/ports.js";
import { formToRaw, type RawRequestForm, type RequestField } from "../core/requests/request-form.js";
import { userText } from "./inert.js";
import { leadOptionLabel } from "./present-workbench.js";
import { templatePickerField } from "./template-picker.js";
import type { FieldView, FormView, MoveFormId } from "./views.js";
import { encodeRequestAction } from "./views.js";

const options = (values: readonly string[]) => values.map((value) => ({ value, label: labelOf(value) }));

/** The request form's inputs, in the order people fill them in. */
const REQUEST_FIELD_VIEWS: ReadonlyArray<Omit<FieldView, "value" | "error"> & { name: RequestField }> = [
  {
    name: "organization",
    label: "Requesting organization",
    kind: "text",
    required: true,
    placeholder: "e.g. PEO Soldier, International Programs",
    maxLength: 200,
  },
  {
    name: "component",
    label: "DoD component",
    kind: "select",
    required: true,
    options: options(DOD_COMPONENTS),
    hint: "Mission Assistance is for DoD components; OTHER gets an eligibility check.",
  },
  { name: "program", label: "Program", kind: "text", required: true, placeholder: "Program or system name", maxLength: 200 },
  { name: "effortTypes", label: "Effort types", kind: "multiselect", required: true, options: options(EFFORT_TYPES) },
  { name: "supportType", label: "Support needed", kind: "select", required: true, options: options(SUPPORT_TYPES) },
  { name: "lifecyclePhase", label: "Where the effort is", kind: "select", required: true, options: options(LIFECYCLE_PHASES) },
  {
    name: "relatedCases",
    label: "Related FMS/BPC cases",
    kind: "text",
    required: false,
    placeholder: "e.g. BN-B-SAA, BN-D-YAB",
    hint: "Optional. Case ids separated by commas.",
  },
  {
    name: "problemStatement",
    label: "Problem statement",
    kind: "textarea",
    required: true,
    hint: "What do you need help with? 20–3000 characters.",
    maxLength: 3000,
  },
  { name: "desiredOutcome", label: "Desired outcome", kind: "textarea", required: false, maxLength: 1000 },
  { name: "audienceSize", label: "Audience size", kind: "number", required: true, hint: "How many people, 1–500." },
  { name: "preferredStart", label: "Preferred start", kind: "date", required: true },
  { name: "preferredEnd", label: "Preferred end", kind: "date", required: true },
  { name: "deliveryMode", label: "Delivery", kind: "select", required: true, options: options(DELIVERY_MODES) },
  { name: "location", label: "Location", kind: "text", required: false, hint: "Required for on-site and hybrid support.", maxLength: 200 },
  {
    name: "travelFunded",
    groupLabel: "Travel funding",
    label: "Our office funds faculty travel and incidental costs (required for on-site or hybrid)",
    kind: "checkbox",
    required: false,
  },
  { name: "pocName", label: "Point of contact", kind: "text", required: true, maxLength: 120 },
  { name: "pocEmail", label: "Point of contact e-mail", kind: "email", required: true, placeholder: "name@agency.mil" },
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

function fieldValue(raw: RawRequestForm, name: RequestField): FieldView["value"] {
  const value = raw[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map(String);
  return String(value);
}

export interface RequestFormOptions {
  /** Values to show: what the user typed, or the request being edited. */
  values?: RawRequestForm;
  errors?: FieldErrors;
  /** Set when editing: the request and the version the form was drawn at. */
  editing?: MaRequest;
  notice?: string;
}

export function requestFormView(options: RequestFormOptions = {}): FormView {
  const values = options.values ?? (options.editing ? formToRaw(options.editing.form) : {});
  const errors = options.errors ?? {};
  return {
    id: "request",
    title: options.editing ? `Edit ${options.editing.number}` : "Mission Assistance",
    submitLabel: options.editing ? "Save" : "Submit",
    intro: options.editing
      ? undefined
      : "DAU International Acquisition Center faculty help on a space-available basis. No charge for faculty time; your office funds travel and incidentals.",
    fields: REQUEST_FIELD_VIEWS.map((field) => ({ ...field, value: fieldValue(values, field.name), error: errors[field.name] })),
    state: options.editing ? encodeRequestAction({ requestId: options.editing.id, version: options.editing.version }) : "",
    notice: options.notice,
  };
}

export interface MoveFormExtra {
  /** The Accept form's lead picker: ordered, with the suggested lead. */
  picker?: LeadPicker;
  /** Saved replies offered by Ask for information and Decline. */
  templates?: ReplyTemplate[];
  errors?: FieldErrors;
  values?: Record<string, string>;
  /** Set when a saved reply was just filled in: the text box shows the new text. */
  revision?: string;
}

/** Forms for one workflow move each; the request and version travel in `state`. */
export function moveFormView(kind: MoveFormId, request: MaRequest, extra: MoveFormExtra = {}): FormView {
  const state = encodeRequestAction({ requestId: request.id, version: request.version });
  const errors = extra.errors ?? {};
  const values = extra.values ?? {};
  const field = (view: FieldView): FieldView => ({ ...view, value: view.value ?? values[view.name], error: errors[view.name] });
  const base = { id: kind, state, intro: `${request.number} · ${userText(request.form.organization)} — ${userText(request.form.program)}` };
  // The saved-reply picker, where there are any; the box it fills gets the revision.
  const picker = (extra.templates ?? []).length > 0 ? [field(templatePickerField(extra.templates ?? []))] : [];
  const revision = extra.revision ? { revision: extra.revision } : {};
  switch (kind) {
    case "accept":
      return {
        ...base,
        title: "Accept and assign",
        submitLabel: "Accept",
        fields: [
          field({
            name: "leadId",
            label: "Faculty lead",
            kind: "select",
            required: true,
            hint: "Available faculty first, then the most matching skills, then the fewest open assignments. Faculty who are away are never suggested.",
            options: (extra.picker?.candidates ?? []).map((candidate) => ({
              value: candidate.person.id,
              label: leadOptionLabel(candidate),
            })),
            value: values.leadId ?? extra.picker?.suggested?.id,
          }),
          field({ name: "note", label: "Note to the requester", kind: "textarea", required: false, maxLength: 1000 }),
        ],
      };
    case "askInfo":
      return {
        ...base,
        title: "Ask for information",
        submitLabel: "Send",
        fields: [
          ...picker,
          field({ name: "question", label: "Question for the requester", kind: "textarea", required: true, maxLength: 3000, ...revision }),
        ],
      };
    case "answer":
      return {
        ...base,
        title: "Answer faculty",
        submitLabel: "Send",
        intro: `${base.intro}\nQuestion: ${userText(request.question)}`,
        fields: [field({ name: "answer", label: "Your answer", kind: "textarea", required: true, maxLength: 3000 })],
      };
    case "decline":
      return {
        ...base,
        title: "Decline",
        submitLabel: "Decline",
        fields: [
          field({ name: "reason", label: "Reason", kind: "select", required: true, options: options(DECLINE_REASONS) }),
          ...picker,
          field({ name: "note", label: "Note to the requester", kind: "textarea", required: false, maxLength: 1000, ...revision }),
        ],
      };
    case "schedule":
    case "reschedule": {
      // Rescheduling starts from the dates set; a reason is required and told to the requester.
      const again = kind === "reschedule";
      return {
        ...base,
        title: again ? "Reschedule" : "Schedule",
        submitLabel: again ? "Reschedule" : "Schedule",
        ...(again ? { intro: `${base.intro}\nNow ${request.scheduledStart} to ${request.scheduledEnd}.` } : {}),
        fields: [
          field({
            name: "start",
            label: "Start",
            kind: "date",
            required: true,
            value: values.start ?? (again ? request.scheduledStart : request.form.preferredStart),
          }),
          field({
            name: "end",
            label: "End",
            kind: "date",
            required: true,
            value: values.end ?? (again ? request.scheduledEnd : request.form.preferredEnd),
          }),
          ...(again
            ? [field({ name: "reason", label: "Reason (told to the requester)", kind: "textarea", required: true, maxLength: 1000 })]
            : []),
        ],
      };
    }
    case "deliver":
      return {
        ...base,
        title: "Mark delivered",
        submitLabel: "Mark delivered",
        intro: `Mark ${request.number} delivered? Scheduled ${request.scheduledStart ?? ""} to ${request.scheduledEnd ?? ""}.`,
        fields: [field({ name: "note", label: "Note (optional)", kind: "textarea", required: false, maxLength: 1000 })],
      };
    case "withdraw":
      return {
        ...base,
        title: "Withdraw request",
        submitLabel: "Withdraw",
        intro: `Withdraw ${request.number}? Faculty will stop work on it. This cannot be undone.`,
        fields: [field({ name: "note", label: "Reason (optional)", kind: "textarea", required: false, maxLength: 1000 })],
      };
  }
}
