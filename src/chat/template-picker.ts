import type { ReplyTemplate } from "../core/ports.js";
import type { FieldView, FormId } from "./views.js";

/** The forms that offer saved replies, and the text box each fills. */
export const TEMPLATE_TARGETS: Partial<Record<FormId, string>> = { askInfo: "question", decline: "note" };
export const TEMPLATE_FIELD = "template";

export const templatePickerField = (templates: ReplyTemplate[]): FieldView => ({
  name: TEMPLATE_FIELD,
  label: "Saved reply",
  kind: "select",
  required: false,
  hint: "Fills the box below, with this request's details.",
  placeholder: "Choose a saved reply",
  options: templates.map((template) => ({ value: template.id, label: template.name })),
  dispatch: "useTemplate",
});
