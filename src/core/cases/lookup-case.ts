import type { CoreDeps } from "../deps.js";
import { AppError, notFoundOrNotPermitted } from "../errors.js";
import { caseIdProblem, parseCaseId } from "../ids/case-id.js";
import type { Actor, CaseRecord, MaRequest, Milestone } from "../model.js";
import { canSeeCase, canSeeRequest } from "../permissions.js";
import { type ComputedDate, computeSammDates } from "./samm-dates.js";

export interface CaseDetail {
  caseRecord: CaseRecord;
  /** Open milestones by due date (next due first), then completed ones. */
  milestones: Milestone[];
  computed: ComputedDate[];
  /** Linked requests the asker may see. */
  linkedRequests: MaRequest[];
  /** Case data is Controlled Unclassified Information: always answered privately, marked. */
  marking: "CUI";
}

export function orderMilestones(milestones: Milestone[]): Milestone[] {
  const key = (item: Milestone) => [item.completedDate ? 1 : 0, item.dueDate ?? "9999-12-31", item.completedDate ?? ""] as const;
  return [...milestones].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] - kb[0] || ka[1].localeCompare(kb[1]) || ka[2].localeCompare(kb[2]);
  });
}

/**
 * An FMS/BPC case for those allowed to see it. A case that does not exist and one the
 * asker may not see get the same answer, so nothing about it leaks.
 */
export async function lookupCase(deps: CoreDeps, actor: Actor, caseIdText: string): Promise<CaseDetail> {
  const parsed = parseCaseId(caseIdText);
  if (!parsed.ok) {
    const problem = caseIdProblem(caseIdText, parsed.message);
    throw new AppError("INVALID_INPUT", `${problem}.`, { caseId: problem });
  }
  const caseId = parsed.value.id;
  // Check before reading, so a refused lookup does not even touch the record.
  if (!canSeeCase(actor, caseId)) throw notFoundOrNotPermitted(`Case ${caseId}`);
  const found = await deps.cases.find(caseId);
  if (!found) throw notFoundOrNotPermitted(`Case ${caseId}`);
  const { milestones, ...caseRecord } = found;
  const linked = await deps.requests.listLinkedToCase(caseId);
  return {
    caseRecord,
    milestones: orderMilestones(milestones),
    computed: caseRecord.masked ? [] : computeSammDates(caseRecord, milestones),
    linkedRequests: linked.filter((request) => canSeeRequest(actor, request)),
    marking: "CUI",
  };
}
