import type { CoreDeps } from "../../core/deps.js";
import { leadCandidates } from "../../core/faculty/lead-candidates.js";
import { listTemplates } from "../../core/faculty/templates.js";
import type { Actor, MaRequest } from "../../core/model.js";
import { isFaculty } from "../../core/permissions.js";
import { type MoveFormExtra, moveFormView } from "../forms.js";
import { TEMPLATE_TARGETS } from "../template-picker.js";
import type { FormView, MoveFormId } from "../views.js";

/**
 * A move's form with what it offers this person: the Accept form's ordered lead picker,
 * the saved replies of Ask for information and Decline (faculty only).
 */
export async function buildMoveForm(
  core: CoreDeps,
  actor: Actor,
  kind: MoveFormId,
  request: MaRequest,
  extra: Omit<MoveFormExtra, "picker" | "templates"> = {},
): Promise<FormView> {
  const picker = kind === "accept" ? await leadCandidates(core, actor, request) : undefined;
  const templates = TEMPLATE_TARGETS[kind] && isFaculty(actor) ? await listTemplates(core, actor) : undefined;
  return moveFormView(kind, request, { ...extra, picker, templates });
}
