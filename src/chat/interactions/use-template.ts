import { fillTemplate } from "../../core/faculty/templates.js";
import type { Platform } from "../../core/model.js";
import type { IdentityInfo } from "../../core/ports.js";
import type { RawRequestForm } from "../../core/requests/request-form.js";
import { answerError, isRefusal } from "../errors.js";
import { noticeView } from "../present.js";
import { TEMPLATE_FIELD, TEMPLATE_TARGETS } from "../template-picker.js";
import { decodeRequestAction, type FormId } from "../views.js";
import { buildMoveForm } from "./move-form.js";
import type { InteractionDeps, Outcome } from "./outcome.js";
import { isOutcome, resolveActor } from "./request-outcomes.js";
import { textValues } from "./submit-form.js";

export interface UseTemplateInput {
  identity: IdentityInfo;
  platform: Platform;
  /** The open form the saved reply was chosen in. */
  formId: FormId;
  /** That form's carried state: the request and the version it was drawn at. */
  state: string;
  /** Everything in the form now, the chosen saved reply among it: kept as typed. */
  values: RawRequestForm;
}

/**
 * A saved reply chosen in an open Ask for information or Decline form: the same form
 * comes back with its text box filled in for the request, and everything else as it was.
 */
export async function useTemplate(deps: InteractionDeps, input: UseTemplateInput): Promise<Outcome> {
  const target = decodeRequestAction(input.state);
  const box = TEMPLATE_TARGETS[input.formId];
  if (!target || !box || input.formId === "request" || input.formId === "survey")
    return { kind: "refused", notice: noticeView("This form has expired; start again.") };
  const formId = input.formId;
  const values = textValues(input.values);
  const templateId = values[TEMPLATE_FIELD] ?? "";
  const actor = await resolveActor(deps, input.identity, "useTemplate");
  if (isOutcome(actor)) return actor;
  try {
    const { request, text } = await fillTemplate(deps.core, actor, { templateId, requestId: target.requestId });
    // The form stays at the version the person opened: a change meanwhile is caught on submit.
    const shown = { ...request, version: target.version };
    // Any new id will do: it only has to differ from the one the box was drawn with.
    const revision = Math.random().toString(36).slice(2, 8);
    return { kind: "form", form: await buildMoveForm(deps.core, actor, formId, shown, { values: { ...values, [box]: text }, revision }) };
  } catch (error) {
    const notice = answerError(error, deps.report, { step: "useTemplate" });
    return isRefusal(error) ? { kind: "refused", notice } : { kind: "failed", notice };
  }
}
