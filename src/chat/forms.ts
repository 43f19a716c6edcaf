import { DECLINE_REASONS } from "../core/domain.js";
import type { FieldErrors } from "../core/errors.js";
import type { LeadPicker } from "../core/faculty/lead-candidates.js";
import type { MaRequest } from "../core/model.js";
import type { ReplyTemplate } from "../core/ports.js";
import { MAX_MESSAGE_LENGTH, MAX_NOTE_LENGTH } from "../core/requests/move-request.js";
import { formToRaw, type RawRequestForm, type RequestField } from "../core/requests/request-form.js";
import { userText } from "./inert.js";
import { leadOptionLabel } from "./present-workbench.js";
import { limited, options, REQUEST_FIELD_VIEWS } from "./request-fields.js";
import { templatePickerField } from "./template-picker.js";
import type { FieldView, FormView, MoveFormId } from "./views.js";
import { encodeRequestAction } from "./views.js";

export { REQUEST_FIELD_LABELS, requestFieldOptions } from "./request-fields.js";

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
          field({ name: "note", label: "Note to the requester", kind: "textarea", required: false, ...limited({ max: MAX_NOTE_LENGTH }) }),
        ],
      };
    case "askInfo":
      return {
        ...base,
        title: "Ask for information",
        submitLabel: "Send",
        fields: [
          ...picker,
          field({
            name: "question",
            label: "Question for the requester",
            kind: "textarea",
            required: true,
            ...limited({ max: MAX_MESSAGE_LENGTH }),
            ...revision,
          }),
        ],
      };
    case "answer":
      return {
        ...base,
        title: "Answer faculty",
        submitLabel: "Send",
        intro: `${base.intro}\nQuestion: ${userText(request.question)}`,
        fields: [
          field({ name: "answer", label: "Your answer", kind: "textarea", required: true, ...limited({ max: MAX_MESSAGE_LENGTH }) }),
        ],
      };
    case "decline":
      return {
        ...base,
        title: "Decline",
        submitLabel: "Decline",
        fields: [
          field({ name: "reason", label: "Reason", kind: "select", required: true, options: options(DECLINE_REASONS) }),
          ...picker,
          field({
            name: "note",
            label: "Note to the requester",
            kind: "textarea",
            required: false,
            ...limited({ max: MAX_NOTE_LENGTH }),
            ...revision,
          }),
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
        fields: [field({ name: "note", label: "Note", kind: "textarea", required: false, ...limited({ max: MAX_NOTE_LENGTH }) })],
      };
    case "withdraw":
      return {
        ...base,
        title: "Withdraw request",
        submitLabel: "Withdraw",
        intro: `Withdraw ${request.number}? Faculty will stop work on it. This cannot be undone.`,
        fields: [field({ name: "note", label: "Reason", kind: "textarea", required: false, ...limited({ max: MAX_NOTE_LENGTH }) })],
      };
  }
}
